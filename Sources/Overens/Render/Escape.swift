import Mustache

/// HTML escaping, for the templates' `{{name}}` and for HTML the render writes itself.
public enum Escape {
    /// Text for an element's content or a quoted attribute: `& < > " '` become entities.
    /// Works on UTF-8 bytes, so a quote stays escaped even when a combining mark follows it
    /// (swift-mustache's own escaper reads characters, and `"` with U+0301 is one character
    /// that it leaves as it is: a quote that ends an attribute). Text with nothing to escape,
    /// most of it, is returned as it is, without a copy.
    public static func html(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes -> String? in
            guard let first = bytes.firstIndex(where: { $0 < 0x40 && special[Int($0)] }) else { return nil }
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + bytes.count / 8 + 8)
            out.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                guard byte < 0x40, special[Int(byte)] else {
                    out.append(byte)
                    continue
                }
                switch byte {
                case UInt8(ascii: "&"): out.append(contentsOf: amp)
                case UInt8(ascii: "<"): out.append(contentsOf: lt)
                case UInt8(ascii: ">"): out.append(contentsOf: gt)
                case UInt8(ascii: "\""): out.append(contentsOf: quot)
                default: out.append(contentsOf: apos)
                }
            }
            return String(decoding: out, as: UTF8.self)
        } ?? text
    }

    private static let special: [Bool] = (0..<0x40).map { "&<>\"'".utf8.contains(UInt8($0)) }
    private static let amp = Array("&amp;".utf8), lt = Array("&lt;".utf8), gt = Array("&gt;".utf8)
    private static let quot = Array("&quot;".utf8), apos = Array("&#39;".utf8)

    /// The content type every template is parsed with (`Theme.contentTypePragma`): HTML,
    /// escaped by `html(_:)`.
    struct TemplateContentType: MustacheContentType {
        func escapeText(_ text: String) -> String { Escape.html(text) }
    }

    static let contentTypeName = "OVERENS_HTML"

    /// Registered once, before the first template is parsed.
    static let registered: Void = MustacheContentTypes.register(TemplateContentType(), named: contentTypeName)
}
