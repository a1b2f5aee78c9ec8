import Foundation
import Synchronization

/// `transform` of every item, in the items' order, computed on all cores. Each result is
/// stored under a lock: a transform here (reading, parsing or rendering a file) costs far
/// more than taking it.
///
/// The work runs on threads of its own, not on Dispatch's pool, where `serve`'s socket
/// pool and replies run: with `concurrentPerform`, the render of a saved action's
/// neighbours held up the reply with the action's own page until it ended (bench/RESULTS.md).
public func parallelMap<T: Sendable, U: Sendable>(_ items: [T], _ transform: @Sendable (T) -> U) -> [U] {
    guard items.count > 1 else { return items.map(transform) }
    let results = Locked<[U?]>(Array(repeating: nil, count: items.count))
    let next = Atomic<Int>(0)
    withoutActuallyEscaping(transform) { transform in
        let work: @Sendable () -> Void = {
            while true {
                let i = next.wrappingAdd(1, ordering: .relaxed).oldValue
                guard i < items.count else { return }
                let value = transform(items[i])
                results.withLock { $0[i] = value }
            }
        }
        let helpers = (1..<min(items.count, ProcessInfo.processInfo.activeProcessorCount)).compactMap { _ in WorkerThread(work) }
        work()
        helpers.forEach { $0.join() }
    }
    return results.withLock { $0.map { $0! } }
}

/// A POSIX thread running one closure, joined before the closure's captures go away.
struct WorkerThread: Sendable {
    private let thread: pthread_t

    /// Nil when no thread can be made; the caller's own thread then does the work.
    init?(_ body: @escaping @Sendable () -> Void) {
        let box = Unmanaged.passRetained(Box(body)).toOpaque()
        var thread = pthread_t()
        guard pthread_create(&thread, nil, { raw in
            let box = Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue()
            box.body()
            return nil
        }, box) == 0 else {
            Unmanaged<Box>.fromOpaque(box).release()
            return nil
        }
        self.thread = thread
    }

    func join() { pthread_join(thread, nil) }

    private final class Box: Sendable {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
