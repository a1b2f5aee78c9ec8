import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A value behind a `Mutex`. Each locked section also tells the thread sanitizer, when it
/// runs, that this lock was taken and given back: it cannot see the futex a `Mutex` waits
/// on, and would report every access under the lock as a race.
public final class Locked<Value>: Sendable {
    private let mutex: Mutex<Value>

    public init(_ value: sending Value) { mutex = Mutex(value) }

    public func withLock<T, E: Error>(_ body: (inout sending Value) throws(E) -> sending T) throws(E) -> sending T {
        try mutex.withLock { (value: inout sending Value) throws(E) -> sending T in
            let token = Unmanaged.passUnretained(self).toOpaque()
            SanitizerHooks.acquire?(token)
            defer { SanitizerHooks.release?(token) }
            return try body(&value)
        }
    }
}

extension Locked where Value: Sendable {
    public func get() -> Value { withLock { $0 } }

    public func set(_ newValue: Value) { withLock { $0 = newValue } }

    @discardableResult
    public func update<T: Sendable>(_ body: (inout Value) -> T) -> T { withLock { body(&$0) } }
}

/// The thread sanitizer's own calls, found only in a program built with it.
private enum SanitizerHooks {
    typealias Hook = @convention(c) (UnsafeMutableRawPointer?) -> Void
    static let acquire = hook("__tsan_acquire")
    static let release = hook("__tsan_release")

    static func hook(_ name: String) -> Hook? {
        dlsym(dlopen(nil, RTLD_NOW), name).map { unsafeBitCast($0, to: Hook.self) }
    }
}
