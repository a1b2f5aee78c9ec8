import Foundation

/// A place in a source file, 1-based. Line 0 means "the file as a whole".
public struct SourceLocation: Hashable, Sendable, Codable, Comparable {
    public var path: String
    public var line: Int
    public var column: Int

    public init(path: String, line: Int = 0, column: Int = 0) {
        self.path = path
        self.line = line
        self.column = column
    }

    public static func < (a: SourceLocation, b: SourceLocation) -> Bool {
        (a.path, a.line, a.column) < (b.path, b.line, b.column)
    }
}

/// One problem found in content or theme. Every stage reports through these values;
/// the CLI, `check --format json` and the preview's error page all print the same ones.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable, Comparable {
        case warning, error
        public static func < (a: Severity, b: Severity) -> Bool { a == .warning && b == .error }
    }

    public var severity: Severity
    public var location: SourceLocation
    /// The text in both languages, from the catalogue in Messages.swift.
    public var text: Message
    /// The English text: what `check --format json` calls "message", and what tests match.
    public var message: String { text.en }

    public init(_ severity: Severity, _ location: SourceLocation, _ text: Message) {
        self.severity = severity
        self.location = location
        self.text = text
    }

    public static func error(_ location: SourceLocation, _ text: Message) -> Diagnostic {
        Diagnostic(.error, location, text)
    }

    public static func warning(_ location: SourceLocation, _ text: Message) -> Diagnostic {
        Diagnostic(.warning, location, text)
    }

    /// The text in `language`: "sv" gives Swedish, anything else English.
    public func text(in language: String) -> String { text.text(in: language) }

    /// `path:line:column: error: message`, the format editors' tools make clickable.
    public var description: String { description(in: "en") }

    /// The same line with the text in `language`; the severity word stays `error` or
    /// `warning` in every language, as editors' tools look for it.
    public func description(in language: String) -> String {
        let l = location
        let position = l.line > 0 ? ":\(l.line):\(max(l.column, 1))" : ":1:1"
        return "\(l.path)\(position): \(severity.rawValue): \(text(in: language))"
    }

    enum CodingKeys: String, CodingKey { case severity, path, line, column, message, sv }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(severity, forKey: .severity)
        try c.encode(location.path, forKey: .path)
        try c.encode(max(location.line, 1), forKey: .line)
        try c.encode(max(location.column, 1), forKey: .column)
        try c.encode(text.en, forKey: .message)
        try c.encode(text.sv, forKey: .sv)
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        severity = try c.decode(Severity.self, forKey: .severity)
        location = SourceLocation(
            path: try c.decode(String.self, forKey: .path),
            line: try c.decode(Int.self, forKey: .line),
            column: try c.decode(Int.self, forKey: .column))
        text = Message.decoded(en: try c.decode(String.self, forKey: .message), sv: try c.decodeIfPresent(String.self, forKey: .sv))
    }
}

/// Collects diagnostics across a stage; thread-safe so parallel stages can report.
public final class DiagnosticBag: Sendable {
    private let items = Locked<[Diagnostic]>([])

    public init() {}

    public func report(_ d: Diagnostic) {
        items.withLock { $0.append(d) }
    }

    /// Messages come from the catalogue (Messages.swift), so each has its Swedish text.
    public func error(_ location: SourceLocation, _ text: Message) { report(.error(location, text)) }
    public func warning(_ location: SourceLocation, _ text: Message) { report(.warning(location, text)) }

    /// Sorted by file and position so output is stable whatever order stages ran in.
    public var all: [Diagnostic] {
        Set(items.withLock { $0 }).sorted { ($0.location, $0.severity.rawValue, $0.message) < ($1.location, $1.severity.rawValue, $1.message) }
    }

    public var hasErrors: Bool {
        items.withLock { $0.contains { $0.severity == .error } }
    }
}
