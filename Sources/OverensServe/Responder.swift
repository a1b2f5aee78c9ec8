import Foundation
import Overens

/// An HTTP answer before it meets the socket: status, headers in order, body.
public struct Reply: Sendable {
    public var status: Int
    public var headers: [(name: String, value: String)]
    public var body: Data
    /// Why the request was refused (a path that tries to leave the site); logged by the server.
    public var refusal: String?

    public init(status: Int, headers: [(name: String, value: String)] = [], body: Data = Data(), refusal: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.refusal = refusal
    }

    public func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}

/// Turns a request (method and raw, still percent-encoded path) into a reply from the
/// current `SiteState`. Pure: no sockets, no disk, so every rule here is testable alone.
///
/// Only files of the rendered site are served, looked up by site-relative path in memory;
/// nothing on disk is ever opened for a request. A path that tries to step out anyway
/// (`..` or `.` segments, also percent-encoded, NUL bytes, malformed escapes) is refused
/// with the site's 404 page and reported in `Reply.refusal` for the log.
public enum Responder {
    public static let scriptPath = "/__overens/reload.js"
    public static let eventsPath = "/__overens/events"

    /// The site-relative file a request path names, or why it is refused.
    public enum Target: Equatable, Sendable {
        case file(String)
        case refused(String)
    }

    public static func target(ofRawPath raw: String) -> Target {
        guard raw.hasPrefix("/") else { return .refused("the path does not start with /") }
        guard !raw.contains("\0") else { return .refused("the path holds a NUL byte") }
        guard let decoded = raw.removingPercentEncoding else { return .refused("the path has a malformed %-escape") }
        guard !decoded.contains("\0") else { return .refused("the path holds a NUL byte") }
        for segment in decoded.split(whereSeparator: { $0 == "/" || $0 == "\\" }) where segment == ".." || segment == "." {
            return .refused("the path has a '\(segment)' segment that would leave the site")
        }
        var key = String(decoded.dropFirst())
        if key.isEmpty || key.hasSuffix("/") { key += "index.html" }
        return .file(key)
    }

    public static func respond(method: String, rawPath: String, rawQuery: String = "", state: SiteState) -> Reply {
        let isHead = method == "HEAD"
        guard method == "GET" || isHead else {
            return finish(Reply(status: 405, headers: [("Allow", "GET, HEAD"), ("Content-Type", "text/plain; charset=utf-8")],
                                body: Data("405 method not allowed: the preview serves GET and HEAD\n".utf8)), head: isHead)
        }
        if rawPath == scriptPath {
            return finish(Reply(status: 200, headers: standardHeaders(type: "text/javascript; charset=utf-8"), body: Data(ReloadScript.source.utf8)), head: isHead)
        }
        let key: String
        switch target(ofRawPath: rawPath) {
        case .refused(let reason):
            var reply = notFound(state: state)
            reply.refusal = reason
            return finish(reply, head: isHead)
        case .file(let k):
            key = k
        }
        let file = state.files[key]
        let lastName = key.split(separator: "/").last ?? ""
        let isPage = key.hasSuffix(".html") || (file == nil && !lastName.contains("."))
        if state.failed && isPage {
            let page = ErrorPage.render(errors: state.errors, warnings: state.warnings, generation: state.generation)
            return finish(Reply(status: 500, headers: standardHeaders(type: contentType(forPath: "error.html")), body: page), head: isHead)
        }
        if let file {
            let type = contentType(forPath: key)
            let body = key.hasSuffix(".html") ? inject(into: file, generation: state.generation) : file
            return finish(Reply(status: 200, headers: standardHeaders(type: type), body: body), head: isHead)
        }
        // A folder without its slash: send the browser to the folder, so relative links work.
        if state.files[key + "/index.html"] != nil {
            let location = rawPath + "/" + (rawQuery.isEmpty ? "" : "?" + rawQuery)
            return finish(Reply(status: 301, headers: [("Location", location), ("Content-Type", "text/plain; charset=utf-8"), ("Cache-Control", "no-cache")],
                                body: Data("moved to \(location)\n".utf8)), head: isHead)
        }
        return finish(notFound(state: state), head: isHead)
    }

    /// The site's own 404.html (with the reload script), or a plain page if it has none.
    static func notFound(state: SiteState) -> Reply {
        let body: Data
        if let page = state.files["404.html"] {
            body = inject(into: page, generation: state.generation)
        } else {
            body = inject(into: Data("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>404 not found</title></head><body><h1>404 not found</h1></body></html>\n".utf8),
                          generation: state.generation)
        }
        return Reply(status: 404, headers: standardHeaders(type: "text/html; charset=utf-8"), body: body)
    }

    /// HEAD: the headers GET would send, Content-Length included, and no body.
    static func finish(_ reply: Reply, head: Bool) -> Reply {
        var reply = reply
        if head {
            reply.headers.append(("Content-Length", String(reply.body.count)))
            reply.body = Data()
        }
        return reply
    }

    static func standardHeaders(type: String) -> [(name: String, value: String)] {
        [("Content-Type", type), ("Cache-Control", "no-cache"), ("X-Content-Type-Options", "nosniff")]
    }

    /// The tag that makes a served page reload itself; never part of the built site.
    public static func scriptTag(generation: String) -> String {
        "<script src=\"\(scriptPath)\" data-generation=\"\(generation)\"></script>\n"
    }

    /// The page with the reload script before its last `</body>` (at the end if it has none).
    public static func inject(into html: Data, generation: String) -> Data {
        let tag = Data(scriptTag(generation: generation).utf8)
        let position = html.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) -> Int? in
            let needle = Array("</body".utf8)
            guard bytes.count >= needle.count else { return nil }
            var i = bytes.count - needle.count
            while i >= 0 {
                var match = true
                for j in 0..<needle.count {
                    var b = bytes[i + j]
                    if b >= 65 && b <= 90 { b += 32 }
                    if b != needle[j] { match = false; break }
                }
                if match { return i }
                i -= 1
            }
            return nil
        }
        var out = Data(capacity: html.count + tag.count)
        if let position {
            let start = html.startIndex
            out.append(html[start ..< start + position])
            out.append(tag)
            out.append(html[(start + position)...])
        } else {
            out.append(html)
            out.append(tag)
        }
        return out
    }

    /// `Content-Type` by file extension; text types say they are UTF-8.
    public static func contentType(forPath path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.split(separator: ".").count > 1 ? String(name.split(separator: ".").last!).lowercased() : ""
        let utf8 = "; charset=utf-8"
        if name == "atom.xml" || ext == "atom" { return "application/atom+xml" + utf8 }
        switch ext {
        case "html", "htm": return "text/html" + utf8
        case "css": return "text/css" + utf8
        case "js", "mjs": return "text/javascript" + utf8
        case "json", "map": return "application/json" + utf8
        case "webmanifest": return "application/manifest+json" + utf8
        case "xml": return "application/xml" + utf8
        case "csv": return "text/csv" + utf8
        case "txt", "md": return "text/plain" + utf8
        case "svg": return "image/svg+xml" + utf8
        case "png": return "image/png"
        case "jpg", "jpeg": return "image/jpeg"
        case "gif": return "image/gif"
        case "webp": return "image/webp"
        case "avif": return "image/avif"
        case "ico": return "image/vnd.microsoft.icon"
        case "woff2": return "font/woff2"
        case "woff": return "font/woff"
        case "ttf": return "font/ttf"
        case "otf": return "font/otf"
        case "pdf": return "application/pdf"
        case "docx": return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "xlsx": return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "pptx": return "application/vnd.openxmlformats-officedocument.presentationml.presentation"
        case "odt": return "application/vnd.oasis.opendocument.text"
        case "ods": return "application/vnd.oasis.opendocument.spreadsheet"
        case "odp": return "application/vnd.oasis.opendocument.presentation"
        default: return "application/octet-stream"
        }
    }
}
