import Foundation
import Yams

/// A file split into its YAML front matter (composed to a node tree, with positions) and
/// its Markdown body.
public struct FrontMatter {
    public var fields: Yams.Node.Mapping
    public var body: String
    /// Lines before the body (the front matter block and its `---` lines).
    public var bodyLineOffset: Int
    /// Lines before the YAML text, to turn YAML marks into file lines.
    public var yamlLineOffset: Int

    /// Splits and composes; reports and returns nil when the block is missing, unclosed
    /// or not valid YAML.
    public static func parse(_ text: String, path: String, diagnostics: DiagnosticBag) -> FrontMatter? {
        // Walk line by line only as far as the closing fence; the body is never split.
        let utf8 = text.utf8
        var lineStart = utf8.startIndex
        var lineNumber = 0
        var yamlStart: String.Index?
        while lineStart < utf8.endIndex {
            let newline = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            lineNumber += 1
            let isFence = isFenceLine(text[lineStart..<newline], opening: lineNumber == 1)
            let next = newline < utf8.endIndex ? utf8.index(after: newline) : newline
            if lineNumber == 1 {
                guard isFence else {
                    diagnostics.error(SourceLocation(path: path, line: 1, column: 1), .noFrontMatter)
                    return nil
                }
                yamlStart = next
            } else if isFence, let start = yamlStart {
                let yaml = String(text[start..<lineStart])
                guard let node = YAMLText.compose(yaml, path: path, lineOffset: 1, diagnostics: diagnostics) else { return nil }
                guard let mapping = node.mapping else {
                    diagnostics.error(SourceLocation(path: path, line: 2, column: 1), .frontMatterShape)
                    return nil
                }
                return FrontMatter(fields: mapping, body: String(text[next...]), bodyLineOffset: lineNumber, yamlLineOffset: 1)
            }
            lineStart = next
        }
        if yamlStart == nil {
            diagnostics.error(SourceLocation(path: path, line: 1, column: 1), .noFrontMatter)
        } else {
            diagnostics.error(SourceLocation(path: path, line: 1, column: 1), .frontMatterNotClosed)
        }
        return nil
    }

    /// `---` (with trailing spaces or a CR), or YAML's `...` end marker for the closing line.
    static func isFenceLine(_ line: Substring, opening: Bool) -> Bool {
        let trimmed = line.utf8.reversed().drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") }
        let bytes = Array(trimmed.reversed())
        return bytes == Array("---".utf8) || (!opening && bytes == Array("...".utf8))
    }
}

/// YAML through Yams, with every error turned into a positioned diagnostic.
public enum YAMLText {
    public static func compose(_ yaml: String, path: String, lineOffset: Int, diagnostics: DiagnosticBag) -> Yams.Node? {
        func at(_ mark: Mark) -> SourceLocation {
            // libyaml puts the end of a text with no final line break on the line after it.
            let end = endMark(of: yaml)
            let (line, column) = mark.line > end.line ? end : (mark.line, mark.column)
            return SourceLocation(path: path, line: line + lineOffset, column: column)
        }
        if let place = aliasExpansion(in: yaml) {
            diagnostics.error(SourceLocation(path: path, line: place.line + lineOffset, column: place.column), .aliasExpansion(maxExpandedValues))
            return nil
        }
        do {
            // UTF-8 named: Yams' default reads the whole environment on every call (a
            // twentieth of a build) and, with YAMS_DEFAULT_ENCODING set, prints a line.
            // The basic resolver: fields are read from their text and style, never their
            // implicit tag, and the default one ran its regular expressions on every key to
            // look for duplicates (two thirds of Yams' time).
            guard let node = try Yams.compose(yaml: yaml, .basic, .default, .utf8) else {
                if yaml.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                    return .mapping(.init([]))
                }
                diagnostics.error(SourceLocation(path: path, line: lineOffset + 1, column: 1), .fieldsShape)
                return nil
            }
            return node
        } catch let error as YamlError {
            switch error {
            case let .scanner(context, problem, mark, _), let .parser(context, problem, mark, _), let .composer(context, problem, mark, _):
                // The context (a list or quote left open) is where the editor has to look.
                let place = context.map { at($0.mark) } ?? at(mark)
                let detail = context.map { " \($0.text) starting here" } ?? ""
                if let plain = plainWords(problem: problem, context: context?.text, line: mark.line, column: mark.column, in: yaml) {
                    diagnostics.error(plain.atProblem ? at(mark) : place, plain.message)
                } else {
                    diagnostics.error(place, .invalidYAML(problem, detail: detail))
                }
            case let .duplicatedKeysInMapping(duplicates, context):
                for key in duplicates {
                    let line = secondLine(of: key, in: yaml) ?? context.mark.line
                    diagnostics.error(SourceLocation(path: path, line: line + lineOffset, column: 1), .duplicateField(key))
                }
            case let .reader(problem, _, _, _):
                diagnostics.error(SourceLocation(path: path, line: lineOffset + 1, column: 1), .invalidYAML(problem))
            default:
                diagnostics.error(SourceLocation(path: path, line: lineOffset + 1, column: 1), .invalidYAML("\(error)"))
            }
            return nil
        } catch {
            diagnostics.error(SourceLocation(path: path, line: lineOffset + 1, column: 1), .invalidYAML("\(error)"))
            return nil
        }
    }
}

extension YAMLText {
    /// The common slips, in plain words with the fix, instead of libyaml's wording; nil for
    /// the rest. `atProblem`: the diagnostic goes where libyaml stopped, not where the
    /// context it names began.
    static func plainWords(problem: String, context: String?, line: Int, column: Int, in yaml: String) -> (message: Message, atProblem: Bool)? {
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        let text = line >= 1 && line <= lines.count ? String(lines[line - 1]) : ""
        if problem.contains("mapping values are not allowed") {
            // `title: Kris: samverkan`: name the field and show the line with quotes.
            guard let colon = text.range(of: ":") else { return (.colonInValue(field: nil, example: nil), true) }
            // At the line's own first colon: a field indented under the one above it.
            if text[..<colon.lowerBound].unicodeScalars.count + 1 == column { return (.badIndentation, true) }
            let indent = String(text.prefix { $0 == " " || $0 == "-" })
            let key = text[..<colon.lowerBound].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "- "))
            let value = text[colon.upperBound...].trimmingCharacters(in: .whitespaces.union(CharacterSet(charactersIn: "\r")))
            let quote = value.contains("\"") ? "'" : "\""
            let example = key.isEmpty || value.isEmpty ? nil : "\(indent.trimmingCharacters(in: .whitespaces))\(key): \(quote)\(value)\(quote)"
            return (.colonInValue(field: key.isEmpty ? nil : key, example: example), true)
        }
        if problem.contains("tab") || (problem.contains("cannot start any token") && text.contains("\t")) {
            return (.tabIndent, true)
        }
        switch context ?? "" {
        case let c where c.contains("quoted scalar"): return (.unclosedQuote, false)
        case let c where c.contains("flow sequence"): return (.unclosedBracket, false)
        case let c where c.contains("flow mapping"): return (.unclosedBrace, false)
        case let c where c.contains("simple key") && problem.contains("expected ':'"): return (.lineWithoutColon, true)
        case let c where c.contains("block mapping") && problem.contains("expected key"): return (.badIndentation, true)
        default: return nil
        }
    }

    /// Line and column just after the last character, counted as libyaml counts: in
    /// Unicode scalars, with CR LF, CR, LF, NEL, LS and PS each ending a line.
    static func endMark(of yaml: String) -> (line: Int, column: Int) {
        var line = 1, column = 1
        var afterCR = false
        for scalar in yaml.unicodeScalars {
            if scalar == "\n" && afterCR {
                afterCR = false
                continue
            }
            afterCR = scalar == "\r"
            if afterCR || scalar == "\n" || scalar == "\u{85}" || scalar == "\u{2028}" || scalar == "\u{2029}" {
                (line, column) = (line + 1, 1)
            } else {
                column += 1
            }
        }
        return (line, column)
    }

    /// Yams names a duplicated key but not where; the second `key:` line is the one to remove.
    static func secondLine(of key: String, in yaml: String) -> Int? {
        var seen = false
        for (n, line) in yaml.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.drop { $0 == " " }
            if trimmed.hasPrefix(key + ":") || trimmed.hasPrefix("\"\(key)\":") || trimmed.hasPrefix("'\(key)':") {
                if seen { return n + 1 }
                seen = true
            }
        }
        return nil
    }
}

/// Reads typed fields from a YAML mapping, reporting wrong types and missing fields at the
/// position of the key or value that is wrong.
public struct FieldReader {
    public let mapping: Yams.Node.Mapping
    public let path: String
    public let lineOffset: Int
    public let diagnostics: DiagnosticBag
    private var values: [String: (key: Yams.Node, value: Yams.Node)] = [:]

    public init(mapping: Yams.Node.Mapping, path: String, lineOffset: Int, diagnostics: DiagnosticBag) {
        self.mapping = mapping
        self.path = path
        self.lineOffset = lineOffset
        self.diagnostics = diagnostics
        for (key, value) in mapping {
            guard let name = key.scalar?.string else {
                diagnostics.error(location(of: key), .fieldNamePlain)
                continue
            }
            values[name] = (key, value)
        }
    }

    public func location(of node: Yams.Node?) -> SourceLocation {
        guard let mark = node?.mark else { return SourceLocation(path: path, line: lineOffset + 1, column: 1) }
        return SourceLocation(path: path, line: mark.line + lineOffset, column: mark.column)
    }

    /// Where a field is written, or the top of the front matter when it is missing.
    public func location(_ key: String) -> SourceLocation {
        location(of: values[key]?.key)
    }

    public func has(_ key: String) -> Bool { values[key] != nil }

    /// The node a field holds, for settings with their own shape (site.yml's `menu`).
    public func node(_ key: String) -> Yams.Node? { values[key]?.value }

    /// Where a field's value starts: where a path or text in it is pointed at.
    public func valueLocation(_ key: String) -> SourceLocation {
        location(of: values[key]?.value ?? values[key]?.key)
    }

    /// Warns about fields this kind of file does not use: usually a typo of one it does.
    public func warnUnknown(allowed: Set<String>, kind: String) {
        for (name, entry) in values where !allowed.contains(name) {
            diagnostics.warning(location(of: entry.key), .unknownField(name, kind: kind, allowed: allowed.sorted(), suggestion: Self.suggestion(for: name, among: allowed)))
        }
    }

    /// A field this kind of file has that the unknown one is probably a typo of: only when
    /// it is a small slip for a word of that length (one letter in a short name, two in a
    /// longer one), so `time` is not taken for `title`.
    static func suggestion(for name: String, among allowed: Set<String>) -> String? {
        let limit = name.count <= 4 ? 1 : 2
        let best = allowed.map { ($0, editDistance($0, name)) }.min { ($0.1, $0.0) < ($1.1, $1.0) }
        guard let (field, distance) = best, distance <= limit, abs(field.count - name.count) <= limit else { return nil }
        return field
    }

    private func scalar(_ key: String, expected: Message) -> (String, Yams.Node)? {
        guard let (_, value) = values[key] else { return nil }
        guard let scalar = value.scalar else {
            diagnostics.error(location(of: value), .fieldMustBe(key, expected))
            return nil
        }
        if scalar.style == .plain && ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
            diagnostics.error(location(of: value), .fieldEmpty(key, expected))
            return nil
        }
        return (scalar.string, value)
    }

    public func string(_ key: String, required: Bool = false) -> String? {
        guard has(key) else {
            if required { missing(key, .text) }
            return nil
        }
        guard let (text, node) = scalar(key, expected: .text) else { return nil }
        let trimmed = Self.trimmed(text)
        if trimmed.isEmpty {
            diagnostics.error(location(of: node), .fieldEmpty(key, .text))
            return nil
        }
        return trimmed
    }

    /// Without white space around it. Most values have none, and Foundation's trimming
    /// costs as much as reading the rest of the field: those are returned as they are.
    static func trimmed(_ text: String) -> String {
        let space = CharacterSet.whitespacesAndNewlines
        guard let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
              space.contains(first) || space.contains(last) else { return text }
        return text.trimmingCharacters(in: space)
    }

    public func int(_ key: String, required: Bool = false, range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard has(key) else {
            if required { missing(key, .wholeNumber) }
            return nil
        }
        guard let (text, node) = scalar(key, expected: .wholeNumber) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)), node.scalar?.style == .plain else {
            diagnostics.error(location(of: node), .notWholeNumber(key, text))
            return nil
        }
        guard range.contains(value) else {
            diagnostics.error(location(of: node), .numberOutOfRange(key, value, range))
            return nil
        }
        return value
    }

    public func choice<T: RawRepresentable>(_ key: String, required: Bool = false) -> T? where T.RawValue == String, T: CaseIterable {
        let options = T.allCases.map(\.rawValue)
        guard has(key) else {
            if required { missing(key, .oneOf(options)) }
            return nil
        }
        guard let (text, node) = scalar(key, expected: .oneOf(options)) else { return nil }
        guard let value = T(rawValue: text) else {
            diagnostics.error(location(of: node), .notAChoice(key, text, options: options))
            return nil
        }
        return value
    }

    /// A list of ids; a single id is accepted as a list of one.
    public func ids(_ key: String, required: Bool = false) -> [(id: String, location: SourceLocation)]? {
        guard let (_, value) = values[key] else {
            if required { missing(key, .idList) }
            return nil
        }
        let items: [Yams.Node]
        if let sequence = value.sequence {
            items = Array(sequence)
        } else if value.scalar != nil {
            items = [value]
        } else {
            diagnostics.error(location(of: value), .notIdList(key))
            return nil
        }
        var result: [(String, SourceLocation)] = []
        for item in items {
            guard let id = item.scalar?.string, Identifier.isValid(id) else {
                diagnostics.error(location(of: item), .notAnId(item.scalar?.string ?? "?", in: key))
                continue
            }
            result.append((id, location(of: item)))
        }
        if required && result.isEmpty && items.isEmpty {
            diagnostics.error(location(of: value), .idListEmpty(key))
        }
        return result
    }

    /// Whether every item of an id list is an id; `ids` reports the others.
    public func idsAllValid(_ key: String) -> Bool {
        guard let (_, value) = values[key] else { return true }
        let items = value.sequence.map(Array.init) ?? [value]
        return items.allSatisfy { $0.scalar.map { Identifier.isValid($0.string) } ?? false }
    }

    /// `true` or `false`.
    public func bool(_ key: String) -> Bool? {
        guard has(key) else { return nil }
        guard let (text, node) = scalar(key, expected: .yesOrNo) else { return nil }
        switch text {
        case "true", "True", "TRUE", "yes", "ja": return true
        case "false", "False", "FALSE", "no", "nej": return false
        default:
            diagnostics.error(location(of: node), .fieldMustBe(key, .yesOrNo))
            return nil
        }
    }

    /// A list of texts (a single text is a list of one), each with its place.
    public func texts(_ key: String) -> [(text: String, location: SourceLocation)] {
        guard let (_, value) = values[key] else { return [] }
        let items = value.sequence.map(Array.init) ?? [value]
        var result: [(String, SourceLocation)] = []
        for item in items {
            guard let text = item.scalar?.string, !text.isEmpty else {
                diagnostics.error(location(of: item), .fieldMustBe(key, .textList))
                continue
            }
            result.append((text, location(of: item)))
        }
        return result
    }

    /// When an event starts: `2023-10-12T12:00`, or `2023-10-12` when the time is not known.
    /// `sameDayAs` lets an end be a time alone (`15:30`), on the start's day.
    public func eventTime(_ key: String, required: Bool = false, sameDayAs start: EventTime? = nil) -> EventTime? {
        guard has(key) else {
            if required { missing(key, .eventTimeText) }
            return nil
        }
        guard let (text, node) = scalar(key, expected: .eventTimeText) else { return nil }
        if let start, let minutes = EventTime.timeOfDay(text) { return EventTime(day: start.day, minutes: minutes) }
        guard let time = EventTime(text) else {
            diagnostics.error(location(of: node), .notAnEventTime(key, text))
            return nil
        }
        guard time.day.year >= Day.earliestYear else {
            diagnostics.error(location(of: node), .dateTooEarly(key, text, earliest: Day.earliestYear))
            return nil
        }
        return time
    }

    /// A calendar date written YYYY-MM-DD that exists (no 2023-02-30).
    public func date(_ key: String, required: Bool = false) -> Day? {
        guard has(key) else {
            if required { missing(key, .dateText) }
            return nil
        }
        guard let (text, node) = scalar(key, expected: .dateText) else { return nil }
        guard let day = Day(text) else {
            diagnostics.error(location(of: node), .notADate(key, text))
            return nil
        }
        guard day.year >= Day.earliestYear else {
            diagnostics.error(location(of: node), .dateTooEarly(key, text, earliest: Day.earliestYear))
            return nil
        }
        return day
    }

    public func url(_ key: String) -> String? {
        guard let text = string(key) else { return nil }
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme), url.host != nil else {
            diagnostics.error(location(values[key]?.value), .notWebAddress(key, text))
            return nil
        }
        return text
    }

    /// A value per language, such as `{ sv: ..., en: ... }`; a plain string counts for all.
    public func localized(_ key: String, languages: [String], required: Bool = false) -> [String: String]? {
        guard let (_, value) = values[key] else {
            if required { missing(key, .textPerLanguage(languages)) }
            return nil
        }
        if let text = value.scalar?.string {
            return Dictionary(uniqueKeysWithValues: languages.map { ($0, text) })
        }
        guard let map = value.mapping else {
            diagnostics.error(location(of: value), .notTextPerLanguage(key, languages: languages))
            return nil
        }
        var result: [String: String] = [:]
        for (k, v) in map {
            guard let lang = k.scalar?.string, let text = v.scalar?.string else {
                diagnostics.error(location(of: k), .languageToText(key))
                continue
            }
            result[lang] = text
        }
        for lang in languages where result[lang] == nil {
            diagnostics.error(location(of: value), .noTextForLanguage(key, lang))
        }
        return result
    }

    private func location(_ node: Yams.Node?) -> SourceLocation { location(of: node) }

    private func missing(_ key: String, _ expected: Message) {
        diagnostics.error(SourceLocation(path: path, line: lineOffset, column: 1), .requiredMissing(key, expected))
    }
}

/// Levenshtein distance, for "did you mean" hints on short field names.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    var previous = Array(0...b.count)
    for i in 1...max(a.count, 1) where !a.isEmpty {
        var current = [i] + Array(repeating: 0, count: b.count)
        for j in stride(from: 1, through: b.count, by: 1) {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return a.isEmpty ? b.count : previous[b.count]
}

/// A calendar day, with no time or zone, so output never depends on the machine's clock.
public struct Day: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var year: Int, month: Int, day: Int
    /// Earlier years are refused: no date on such a site is that old, so one is a typo
    /// (`0000-01-01`), and calendars before 1900 differ by country.
    public static let earliestYear = 1900

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), d >= 1, d <= Day.daysIn(month: m, year: y) else { return nil }
        (year, month, day) = (y, m, d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func < (a: Day, b: Day) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }

    /// The Gregorian calendar in UTC: days as written, whatever the machine's zone.
    static let utcCalendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    /// Noon UTC of this day: a moment no zone's midnight moves to another day.
    var noonUTC: Date? {
        var parts = DateComponents()
        (parts.year, parts.month, parts.day, parts.hour) = (year, month, day, 12)
        return Day.utcCalendar.date(from: parts)
    }

    /// The UTC day of a moment.
    init(utc date: Date) {
        let c = Day.utcCalendar.dateComponents([.year, .month, .day], from: date)
        (year, month, day) = (c.year!, c.month!, c.day!)
    }

    /// The day it is now, in UTC.
    public static var today: Day { Day(utc: Date()) }

    /// ISO 8601, `2025-05-27`.
    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
}
