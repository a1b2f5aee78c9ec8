import Foundation

/// `transform` of every item, in the items' order, computed on all cores. Each result is
/// stored under a lock: a transform here (reading, parsing or rendering a file) costs far
/// more than taking it.
public func parallelMap<T: Sendable, U: Sendable>(_ items: [T], _ transform: @Sendable (T) -> U) -> [U] {
    guard items.count > 1 else { return items.map(transform) }
    let results = Locked<[U?]>(Array(repeating: nil, count: items.count))
    DispatchQueue.concurrentPerform(iterations: items.count) { i in
        let value = transform(items[i])
        results.withLock { $0[i] = value }
    }
    return results.withLock { $0.map { $0! } }
}
