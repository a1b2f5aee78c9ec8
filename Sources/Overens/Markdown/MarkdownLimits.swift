/// Patterns that Debian's cmark-gfm 0.29.0.gfm.6 parses in time growing with their
/// square, found in one linear pass before cmark sees the text.
///
/// The file size is not what matters (documents are published as full text, up to the
/// 5 MB limit), so the caps are on the patterns, each far above what real text holds:
/// - `[` still open in one paragraph: each link closed after them walks back over all of
///   them (CVE-2023-22486); `![[]()` repeated to 400 KB took 11.7 s.
/// - cells in one table row: a row is split in time growing with the square of its cells;
///   a 10,000-column table took 50 s.
/// - block quotes and list items opened on one line: not slow in this build (measured
///   linear), capped so that no reader's browser or tool meets a page nested thousands deep.
/// See docs/SECURITY.md for the measurements.
public enum MarkdownLimits {
    public static let openBrackets = 100
    public static let tableColumns = 100
    public static let nesting = 100

    /// A pattern over its cap; `line` counts from the first line of the text, both from 1.
    public struct Finding: Equatable, Sendable {
        public var line: Int
        public var column: Int
        public var message: Message
    }

    /// At most one finding for each cap, at its first place; empty when the text is fine.
    public static func check(_ text: String) -> [Finding] {
        var scan = Scan()
        var utf8 = text.utf8CString
        utf8.removeLast()   // the NUL
        utf8.withUnsafeBufferPointer { bytes in
            var start = 0
            var line = 1
            while start < bytes.count {
                var end = start
                while end < bytes.count, bytes[end] != UInt8(ascii: "\n") { end += 1 }
                scan.line(bytes, from: start, to: end, number: line)
                start = end + 1
                line += 1
            }
        }
        return scan.findings
    }

    /// The state carried from line to line.
    private struct Scan {
        var findings: [Finding] = []
        var reported: Set<String> = []
        /// `[` opened and not yet closed in the current paragraph.
        var open = 0
        /// The open code fence: its character and length.
        var fence: (char: UInt8, count: Int)?

        mutating func line(_ b: UnsafeBufferPointer<CChar>, from start: Int, to end: Int, number: Int) {
            func byte(_ i: Int) -> UInt8 { UInt8(bitPattern: b[i]) }
            // Container markers: `>` and list markers, each followed by a space.
            var i = start
            var depth = 0
            while i < end {
                let c = byte(i), marker = i
                if c == UInt8(ascii: " ") || c == UInt8(ascii: "\t") || c == UInt8(ascii: "\r") {
                    i += 1
                } else if c == UInt8(ascii: ">") {
                    depth += 1; i += 1
                } else if (c == UInt8(ascii: "-") || c == UInt8(ascii: "*") || c == UInt8(ascii: "+")) && i + 1 < end && byte(i + 1) == UInt8(ascii: " ") {
                    depth += 1; i += 2
                } else if let next = Self.orderedMarkerEnd(b, at: i, end: end) {
                    depth += 1; i = next
                } else {
                    break
                }
                if depth > nesting {
                    report("nesting", number, column(b, start, marker), .nestingTooDeep(nesting))
                    break
                }
            }

            if let run = Self.fenceRun(b, at: i, end: end), fence != nil || run.char == UInt8(ascii: "~") || !Self.contains(b, UInt8(ascii: "`"), from: i + run.count, to: end) {
                if let open = fence {
                    if run.char == open.char, run.count >= open.count { fence = nil }
                } else {
                    fence = run
                    open = 0
                }
                return
            }
            guard fence == nil else { return }
            if i >= end { open = 0; return }   // a blank line ends the paragraph

            var pipes = 0
            while i < end {
                let c = byte(i)
                if c == UInt8(ascii: "\\") {
                    i += 2
                    continue
                }
                if c == UInt8(ascii: "[") {
                    open += 1
                    if open == openBrackets + 1 {
                        report("brackets", number, column(b, start, i), .tooManyBrackets(openBrackets))
                    }
                } else if c == UInt8(ascii: "]") {
                    open = max(0, open - 1)
                } else if c == UInt8(ascii: "|") {
                    pipes += 1
                    if pipes == tableColumns + 2 {
                        report("table", number, column(b, start, i), .tooManyColumns(tableColumns))
                    }
                }
                i += 1
            }
        }

        mutating func report(_ kind: String, _ line: Int, _ column: Int, _ message: Message) {
            guard reported.insert(kind).inserted else { return }
            findings.append(Finding(line: line, column: column, message: message))
        }

        /// The column of byte `i` in characters, counted from 1.
        func column(_ b: UnsafeBufferPointer<CChar>, _ start: Int, _ i: Int) -> Int {
            var column = 1
            for k in start..<min(i, b.count) where UInt8(bitPattern: b[k]) & 0xC0 != 0x80 { column += 1 }
            return column
        }

        /// `1.` or `1)` followed by a space: where the item's text starts.
        static func orderedMarkerEnd(_ b: UnsafeBufferPointer<CChar>, at i: Int, end: Int) -> Int? {
            var k = i
            while k < end, k - i < 9, UInt8(bitPattern: b[k]) >= UInt8(ascii: "0"), UInt8(bitPattern: b[k]) <= UInt8(ascii: "9") { k += 1 }
            guard k > i, k + 1 < end else { return nil }
            let c = UInt8(bitPattern: b[k])
            guard c == UInt8(ascii: ".") || c == UInt8(ascii: ")"), UInt8(bitPattern: b[k + 1]) == UInt8(ascii: " ") else { return nil }
            return k + 2
        }

        static func contains(_ b: UnsafeBufferPointer<CChar>, _ c: UInt8, from: Int, to end: Int) -> Bool {
            var k = from
            while k < end { if UInt8(bitPattern: b[k]) == c { return true }; k += 1 }
            return false
        }

        /// Three or more backticks or tildes: a code fence, in which nothing is parsed.
        static func fenceRun(_ b: UnsafeBufferPointer<CChar>, at i: Int, end: Int) -> (char: UInt8, count: Int)? {
            guard i < end else { return nil }
            let c = UInt8(bitPattern: b[i])
            guard c == UInt8(ascii: "`") || c == UInt8(ascii: "~") else { return nil }
            var k = i
            while k < end, UInt8(bitPattern: b[k]) == c { k += 1 }
            return k - i >= 3 ? (c, k - i) : nil
        }
    }
}
