import Foundation
import Yams

/// Who made an image and, for photos of people, their consent: one entry of
/// `content/images/credits.yml`.
public struct ImageCredit: Hashable, Sendable {
    public var credit: String
    public var consent: String?
    /// Where the entry's file name is written, for messages about it.
    public var location: SourceLocation

    public init(credit: String, consent: String? = nil, location: SourceLocation) {
        self.credit = credit
        self.consent = consent
        self.location = location
    }
}

/// `content/images/credits.yml`: image file names (relative to content/images, such as
/// `forum.jpg` or `nyheter/forum.jpg`), each with its credit:
///
///     forum.jpg:
///       credit: "Foto: Anna Berg"
///       consent: Alla på bilden har sagt ja, mars 2025
///     karta.png: Regionen
///
/// The short form gives the credit alone.
public struct ImageCredits: Hashable, Sendable {
    public var entries: [String: ImageCredit]

    public init(entries: [String: ImageCredit] = [:]) { self.entries = entries }

    public subscript(_ name: String) -> ImageCredit? { entries[name] }

    static let allowedKeys: Set<String> = ["credit", "consent"]

    /// Every entry that could be read; the rest is reported at its line.
    public static func parse(_ text: String, path: String, diagnostics: DiagnosticBag) -> ImageCredits {
        guard let node = YAMLText.compose(text, path: path, lineOffset: 0, diagnostics: diagnostics) else { return ImageCredits() }
        guard let mapping = node.mapping else {
            diagnostics.error(SourceLocation(path: path, line: 1, column: 1), .creditsShape)
            return ImageCredits()
        }
        let top = FieldReader(mapping: mapping, path: path, lineOffset: 0, diagnostics: diagnostics)
        var entries: [String: ImageCredit] = [:]
        for (key, value) in mapping {
            // FieldReader has reported a key that is not plain text.
            guard let name = key.scalar?.string else { continue }
            let at = top.location(of: key)
            guard isImageName(name) else {
                diagnostics.error(at, .creditBadName(name))
                continue
            }
            if let scalar = value.scalar {
                guard let credit = plainText(scalar) else {
                    diagnostics.error(at, .creditMissing(name))
                    continue
                }
                entries[name] = ImageCredit(credit: credit, location: at)
                continue
            }
            guard let fields = value.mapping else {
                diagnostics.error(top.location(of: value), .creditEntryShape(name))
                continue
            }
            let reader = FieldReader(mapping: fields, path: path, lineOffset: 0, diagnostics: diagnostics)
            reader.warnUnknown(allowed: allowedKeys, kind: "credits.yml")
            guard reader.has("credit") else {
                diagnostics.error(at, .creditMissing(name))
                continue
            }
            let consent = reader.string("consent")
            guard let credit = reader.string("credit") else { continue }
            entries[name] = ImageCredit(credit: credit, consent: consent, location: at)
        }
        return ImageCredits(entries: entries)
    }

    /// Trimmed text; nil for an empty value or YAML's null.
    private static func plainText(_ scalar: Yams.Node.Scalar) -> String? {
        if scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) { return nil }
        let trimmed = scalar.string.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A path inside content/images as written there: no leading slash, no empty, `.` or
    /// `..` part, no backslash.
    static func isImageName(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.contains("\\") else { return false }
        return name.split(separator: "/", omittingEmptySubsequences: false).allSatisfy { !$0.isEmpty && $0 != "." && $0 != ".." }
    }
}
