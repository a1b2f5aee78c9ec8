import Foundation
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
