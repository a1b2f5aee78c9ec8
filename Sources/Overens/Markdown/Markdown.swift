import CCmarkGFM
import Foundation

/// The one place that talks to cmark-gfm.
///
/// Debian's cmark-gfm 0.29.0.gfm.6 keeps process-wide state in its parser, so every parse
/// runs under `parseLock`; rendering an already-parsed tree is safe in parallel.
public enum Markdown {
    private static let parseLock = Locked(())
    private static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter", "tasklist"]
    private static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// Footnotes are an option, not an extension. No CMARK_OPT_UNSAFE: raw HTML and
    /// `javascript:` links never reach the page.
    static let options: Int32 = CMARK_OPT_FOOTNOTES | CMARK_OPT_SMART | CMARK_OPT_GITHUB_PRE_LANG

    /// Parses a Markdown body and renders it at once, so no cmark tree outlives this call.
    /// `lineOffset` is the number of lines before the body in its file, so positions
    /// reported later point into the file. Links whose target `rewritable` accepts can be
    /// given another target at each `html(rewritingLinks:)`.
    public static func parse(_ text: String, lineOffset: Int = 0, rewritable: (String) -> Bool = { _ in false }) -> MarkdownDocument {
        parse(text, lineOffset: lineOffset, treatment: { rewritable($0.url) ? .target : .keep })
    }

    /// Parses and renders, asking `treatment` what each link and image becomes: kept as
    /// written, a target filled in per page, a target with words added inside the link
    /// (a file's format and size), or, for an image alone in its paragraph, a whole
    /// element drawn per page (a `<figure>`). With a `spool`, the HTML and the words wait
    /// on disk until a page asks for them.
    public static func parse(_ text: String, lineOffset: Int = 0, spool: TextSpool? = nil,
                             treatment: (MarkdownLink) -> LinkTreatment) -> MarkdownDocument {
        let (parser, root) = parseTree(text)
        defer {
            cmark_node_free(root)
            cmark_parser_free(parser)
        }
        return MarkdownDocument(parser: parser, root: root, source: text, lineOffset: lineOffset, spool: spool, treatment: treatment)
    }

    private static func parseTree(_ text: String) -> (parser: OpaquePointer, root: OpaquePointer) {
        parseLock.withLock { _ in
            _ = registered
            let parser = cmark_parser_new(options)!
            for name in extensionNames {
                if let ext = cmark_find_syntax_extension(name) {
                    cmark_parser_attach_syntax_extension(parser, ext)
                }
            }
            var utf8 = text.utf8CString
            utf8.withUnsafeMutableBufferPointer { buffer in
                cmark_parser_feed(parser, buffer.baseAddress, buffer.count - 1)
            }
            return (parser, cmark_parser_finish(parser)!)
        }
    }

    static func render(_ root: OpaquePointer, parser: OpaquePointer) -> String {
        guard let cString = cmark_render_html(root, options, cmark_parser_get_syntax_extensions(parser)) else { return "" }
        defer { free(cString) }
        return String(cString: cString)
    }
}

/// A link found in Markdown, with its position in the source file.
public struct MarkdownLink: Hashable, Sendable {
    public let url: String
    /// What `url` names, classified once when the file is parsed.
    public let target: LinkTarget
    public var line: Int
    public var column: Int
    /// `![alt](url "title")` rather than `[text](url)`.
    public var isImage = false
    /// An image's alt text, as plain text.
    public var alt = ""
    /// The title in quotes after the target; an image's caption.
    public var title = ""
    /// An image that is all its paragraph holds: it can become a figure.
    public var standalone = false

    public init(url: String, line: Int, column: Int) {
        self.url = url
        self.target = LinkTarget(url)
        self.line = line
        self.column = column
    }
}

/// What the render makes of one link or image.
public enum LinkTreatment: Sendable {
    /// Rendered as written.
    case keep
    /// Its target is filled in for each page.
    case target
    /// Its target is filled in, and words are added at the end of the link's text.
    case targetAndSuffix
    /// A standalone image: the whole element is drawn for each page (else: `target`).
    case element
}

/// The part of a link a page fills in.
public enum LinkSlot: Sendable {
    case target, suffix, element
}

/// A rendered Markdown body. Rewritable links are rendered with a placeholder target,
/// and the HTML is kept as the pieces between them; each `html(rewritingLinks:)` fills in
/// the targets for the page being written. Keeping pieces instead of cmark's tree keeps a
/// large site's memory small and renders each body once, not once per page.
public struct MarkdownDocument: Sendable {
    /// Every link and image target in document order.
    public let links: [MarkdownLink]
    /// The HTML around the placeholders, one after the other, and where each ends (a
    /// UTF-8 offset); `pieceEnds.count == slots.count + 1`.
    private let pieces: StoredText
    private let pieceEnds: [Int]
    /// For each placeholder, in order: the index in `links` of the link it stands for, and
    /// which part of it.
    private let slots: [Slot]

    struct Slot: Equatable, Sendable {
        let link: Int
        let role: LinkSlot
    }
    /// The text without markup, for the search index and summaries.
    public var plainText: String { words.text }
    private let words: StoredText

    /// True when the body holds anything (words, or a figure with none).
    public var hasText: Bool { !words.isEmpty || !slots.isEmpty || !pieces.isEmpty }

    init(parser: OpaquePointer, root: OpaquePointer, source: String, lineOffset: Int, spool: TextSpool?,
         treatment: (MarkdownLink) -> LinkTreatment) {
        let words = Self.words(of: root)
        self.words = spool?.store(words) ?? StoredText(words)
        let (links, linkNodes) = Self.collectLinks(root: root, source: source, lineOffset: lineOffset)
        self.links = links

        // A placeholder the source does not contain cannot come out of cmark but from us.
        var marker = "overens-link-"
        while source.withCString({ text in marker.withCString { strstr(text, $0) != nil } }) { marker += "x" }
        var rewritten: [Slot] = []
        var replaced: [(paragraph: OpaquePointer, marker: String)] = []
        func next(_ link: Int, _ role: LinkSlot) -> String {
            rewritten.append(Slot(link: link, role: role))
            return marker + String(rewritten.count - 1) + "-"
        }
        for (i, link) in links.enumerated() {
            switch treatment(link) {
            case .keep:
                continue
            case .element where link.standalone:
                // The paragraph goes: a figure may not stand inside a <p>. Replaced once
                // every node is numbered, as the paragraph owns the image's node.
                replaced.append((cmark_node_parent(linkNodes[i]), next(i, .element)))
            case .target, .element:
                cmark_node_set_url(linkNodes[i], next(i, .target))
            case .targetAndSuffix:
                cmark_node_set_url(linkNodes[i], next(i, .target))
                // Custom inline nodes print their text as it is; it is only our marker.
                let suffix = cmark_node_new(CMARK_NODE_CUSTOM_INLINE)!
                cmark_node_set_on_enter(suffix, next(i, .suffix))
                cmark_node_append_child(linkNodes[i], suffix)
            }
        }
        for (paragraph, text) in replaced {
            let block = cmark_node_new(CMARK_NODE_CUSTOM_BLOCK)!
            cmark_node_set_on_enter(block, text)
            cmark_node_insert_before(paragraph, block)
            cmark_node_unlink(paragraph)
            cmark_node_free(paragraph)
        }
        let html = Markdown.render(root, parser: parser)
        let (joined, ends, slots) = Self.split(html, marker: marker, rewritten: rewritten)
        self.slots = slots
        pieceEnds = ends
        pieces = spool?.store(joined) ?? StoredText(joined)
    }

    /// The words a reader sees, block by block: cmark's own plain-text renderer keeps
    /// markup a search result should not show (table pipes, footnote marks like `[^1]`).
    private static func words(of root: OpaquePointer) -> String {
        var text = ""
        let iter = cmark_iter_new(root)
        defer { cmark_iter_free(iter) }
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard let node = cmark_iter_get_node(iter) else { continue }
            let type = cmark_node_get_type(node)
            let isBlock = (Int32(type.rawValue) & CMARK_NODE_TYPE_MASK) == CMARK_NODE_TYPE_BLOCK
            switch type {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE, CMARK_NODE_CODE_BLOCK:
                text += cmark_node_get_literal(node).map { String(cString: $0) } ?? ""
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            default:
                break
            }
            // A block ends at its exit (a leaf block, such as code, has no exit event).
            guard isBlock, event == CMARK_EVENT_EXIT || type == CMARK_NODE_CODE_BLOCK else { continue }
            let cell = cmark_node_get_type_string(node).map { String(cString: $0) } == "table_cell"
            if cell { text += " " } else if !text.isEmpty && !text.hasSuffix("\n") { text += "\n" }
        }
        return text
    }

    /// Cuts the HTML at each placeholder. Should cmark ever write one in a way not
    /// foreseen, the links keep their targets as written rather than point anywhere wrong.
    /// Returns the HTML without the placeholders and where each piece between them ends.
    private static func split(_ html: String, marker: String, rewritten: [Slot]) -> (joined: String, ends: [Int], slots: [Slot]) {
        var joined: [UInt8] = []
        var ends: [Int] = []
        var slots: [Slot] = []
        let bytes = Array(html.utf8)
        joined.reserveCapacity(bytes.count)
        let needle = Array(marker.utf8)
        let table = prefixTable(needle)
        var start = 0
        var at = 0
        // Byte search: Foundation's range(of:) is slow on Linux, and this runs once per body.
        while let found = find(needle, table: table, in: bytes, from: at, to: bytes.count) {
            var end = found + needle.count
            var n = 0
            while end < bytes.count, bytes[end] >= UInt8(ascii: "0"), bytes[end] <= UInt8(ascii: "9"), n < rewritten.count {
                n = n * 10 + Int(bytes[end] - UInt8(ascii: "0"))
                end += 1
            }
            guard end > found + needle.count, n < rewritten.count, end < bytes.count, bytes[end] == UInt8(ascii: "-") else {
                at = found + 1
                continue
            }
            joined.append(contentsOf: bytes[start..<found])
            ends.append(joined.count)
            slots.append(rewritten[n])
            start = end + 1
            at = start
        }
        joined.append(contentsOf: bytes[start...])
        ends.append(joined.count)
        return slots == rewritten ? (String(decoding: joined, as: UTF8.self), ends, slots) : (html, [bytes.count], [])
    }

    private static func collectLinks(root: OpaquePointer, source: String, lineOffset: Int) -> (links: [MarkdownLink], nodes: [OpaquePointer]) {
        var links: [MarkdownLink] = []
        var linkNodes: [OpaquePointer] = []
        let bytes = Array(source.utf8)
        // Byte offset where each line starts; computed once, only if there is a link.
        lazy var lineStarts: [Int] = [0] + bytes.indices.filter { bytes[$0] == UInt8(ascii: "\n") }.map { $0 + 1 }
        var searchFrom: [Int: Int] = [:]
        // Per line, the last link found on it (byte offset, column), to count columns from.
        var lastOnLine: [Int: (offset: Int, column: Int)] = [:]
        // Per block (by its first line), the line of its last link found: the next starts there.
        var lastLineOfBlock: [Int: Int] = [:]
        // Targets not written as cmark reports them (entities, escapes, reference links) are
        // searched for in vain to the end of their block; a budget of a few passes over the
        // text keeps that linear. Past it, a link gets its block's line.
        var budget = 16 * bytes.count + 65_536
        let iter = cmark_iter_new(root)
        defer { cmark_iter_free(iter) }
        var blockLine = 1
        while true {
            let event = cmark_iter_next(iter)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iter) else { continue }
            let type = cmark_node_get_type(node)
            let line = Int(cmark_node_get_start_line(node))
            if line > 0 && (Int32(type.rawValue) & CMARK_NODE_TYPE_BLOCK) != 0 { blockLine = line }
            guard type == CMARK_NODE_LINK || type == CMARK_NODE_IMAGE else { continue }
            let url = cmark_node_get_url(node).map { String(cString: $0) } ?? ""
            linkNodes.append(node)
            // cmark keeps no positions for inline nodes here: find the target's text in the
            // lines of the enclosing block, left to right, so repeated links get their own place.
            var found = (line: blockLine, column: 1)
            let needle = Array(url.utf8)
            let table = Self.prefixTable(needle)
            var l = lastLineOfBlock[blockLine] ?? max(blockLine, 1)
            while !needle.isEmpty, l <= lineStarts.count, budget > 0 {
                let start = lineStarts[l - 1]
                let end = l < lineStarts.count ? lineStarts[l] - 1 : bytes.count
                let from = searchFrom[l] ?? start
                if let at = Self.find(needle, table: table, in: bytes, from: from, to: end) {
                    budget -= at + needle.count - from
                    searchFrom[l] = at + needle.count
                    let last = lastOnLine[l] ?? (start, 1)
                    let column = last.column + String(decoding: bytes[last.offset..<at], as: UTF8.self).count
                    lastOnLine[l] = (at, column)
                    lastLineOfBlock[blockLine] = l
                    found = (l, column)
                    break
                }
                budget -= 2 * (end - from)
                if l > blockLine && bytes[start..<end].allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) { break }
                l += 1
            }
            var link = MarkdownLink(url: url, line: found.line + lineOffset, column: found.column)
            link.title = cmark_node_get_title(node).map { String(cString: $0) } ?? ""
            if type == CMARK_NODE_IMAGE {
                link.isImage = true
                link.alt = Self.inlineText(node)
                link.standalone = Self.isAlone(node)
            }
            links.append(link)
        }
        // Kept until the build ends: an exact copy, not an array grown by doubling.
        return (links.withUnsafeBufferPointer { Array($0) }, linkNodes)
    }

    /// The text inside an inline node, without markup: an image's alt text.
    private static func inlineText(_ node: OpaquePointer) -> String {
        var text = ""
        var child = cmark_node_first_child(node)
        while let current = child {
            switch cmark_node_get_type(current) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE: text += cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: text += " "
            default: text += inlineText(current)
            }
            child = cmark_node_next(current)
        }
        return text
    }

    /// True when `node` is the only thing in its paragraph but for spaces and line breaks.
    private static func isAlone(_ node: OpaquePointer) -> Bool {
        guard let parent = cmark_node_parent(node), cmark_node_get_type(parent) == CMARK_NODE_PARAGRAPH else { return false }
        var child = cmark_node_first_child(parent)
        while let current = child {
            defer { child = cmark_node_next(current) }
            if current == node { continue }
            switch cmark_node_get_type(current) {
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK: continue
            case CMARK_NODE_TEXT:
                let literal = cmark_node_get_literal(current).map { String(cString: $0) } ?? ""
                if literal.allSatisfy(\.isWhitespace) { continue }
                return false
            default: return false
            }
        }
        return true
    }

    /// The first `needle` in `bytes[from..<end]`, by Knuth–Morris–Pratt with `table` from
    /// `prefixTable`: linear in the bytes searched whatever the needle, where comparing at
    /// each position is not ("aaa…ab" in "aaa…a").
    private static func find(_ needle: [UInt8], table: [Int], in bytes: [UInt8], from: Int, to end: Int) -> Int? {
        guard !needle.isEmpty, end - from >= needle.count else { return nil }
        var matched = 0
        for i in from..<end {
            while matched > 0 && bytes[i] != needle[matched] { matched = table[matched - 1] }
            if bytes[i] == needle[matched] { matched += 1 }
            if matched == needle.count { return i + 1 - matched }
        }
        return nil
    }

    /// For each prefix of `needle`, the length of its longest proper prefix that is also its suffix.
    private static func prefixTable(_ needle: [UInt8]) -> [Int] {
        var table = [Int](repeating: 0, count: needle.count)
        var length = 0
        for i in stride(from: 1, to: needle.count, by: 1) {
            while length > 0 && needle[i] != needle[length] { length = table[length - 1] }
            if needle[i] == needle[length] { length += 1 }
            table[i] = length
        }
        return table
    }

    /// The HTML, with every rewritable link given the target `rewrite` returns (nil keeps
    /// the target as written).
    public func html(rewritingLinks rewrite: (String) -> String? = { _ in nil }) -> String {
        html { link, role in role == .target ? rewrite(link.url) : nil }
    }

    /// The HTML, with each placeholder filled by `fill`: a target (nil keeps it as written;
    /// made safe for an attribute here), or the words after a link's text or a whole
    /// element (HTML as given; nil leaves nothing).
    public func html(filling fill: (MarkdownLink, LinkSlot) -> String?) -> String {
        let joined = pieces.text
        let bytes = joined.utf8
        // Not the text stored (a spool that could not give it back, already reported):
        // nothing to cut into pieces.
        guard !slots.isEmpty, bytes.count == pieceEnds.last else { return slots.isEmpty ? joined : "" }
        func piece(_ n: Int) -> Substring {
            let start = bytes.index(bytes.startIndex, offsetBy: n == 0 ? 0 : pieceEnds[n - 1])
            let end = bytes.index(bytes.startIndex, offsetBy: pieceEnds[n])
            return Substring(bytes[start..<end])
        }
        var html = String(piece(0))
        for (n, slot) in slots.enumerated() {
            let link = links[slot.link]
            switch slot.role {
            case .target: html += Self.attributeSafe(fill(link, .target) ?? link.url)
            case .suffix, .element: html += fill(link, slot.role) ?? ""
            }
            html += piece(n + 1)
        }
        return html
    }

    /// Characters a target may keep inside a double-quoted attribute; the rest is
    /// percent-encoded, as cmark does for the targets it writes.
    private static let targetCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/:#%?=+,;@!$()*")

    static func attributeSafe(_ target: String) -> String {
        target.addingPercentEncoding(withAllowedCharacters: targetCharacters) ?? ""
    }
}
