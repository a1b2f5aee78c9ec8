import Foundation
import Synchronization
import Overens

/// What the preview serves at one moment: the files of the last good build, and the
/// errors of the last build if it failed. A rebuild makes a new value and swaps it in
/// whole, so a request sees one build or the next, never a mix and never half a page.
public final class SiteState: Sendable {
    /// Site-relative path → bytes, as `Site.generate` rendered them (no reload script).
    public let files: [String: Data]
    /// The errors of the latest build; empty when it succeeded.
    public let errors: [Diagnostic]
    /// The warnings of the latest build.
    public let warnings: [Diagnostic]
    /// Changes with every rebuild; a page served with one value reloads when the
    /// server announces another.
    public let generation: String

    public init(files: [String: Data], errors: [Diagnostic], warnings: [Diagnostic], generation: String) {
        self.files = files
        self.errors = errors
        self.warnings = warnings
        self.generation = generation
    }

    public var failed: Bool { !errors.isEmpty }
}

/// A lock around one value: readers take the current value, a writer replaces it.
final class Locked<Value: Sendable>: Sendable {
    private let value: Mutex<Value>

    init(_ value: Value) { self.value = Mutex(value) }

    func get() -> Value { value.withLock { $0 } }

    func set(_ newValue: Value) { value.withLock { $0 = newValue } }

    @discardableResult
    func update<T: Sendable>(_ body: (inout Value) -> T) -> T { value.withLock { body(&$0) } }
}
