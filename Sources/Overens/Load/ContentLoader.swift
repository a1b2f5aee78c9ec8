import Foundation

/// Everything read from disk that the rest of the pipeline needs, nothing parsed yet
/// beyond splitting file names.
public struct LoadedContent: Sendable {
    public var configPath: String
    public var configText: String
    public var files: [SourceFile]
}

/// Reads `content/`: `site.yml` and `<kind folder>/<id>.<lang>.md` files. Reports every
/// problem it can find in one pass instead of stopping at the first.
public enum ContentLoader {
    /// Larger files are refused: no editor writes 5 MB of Markdown by hand, and reading
    /// a runaway file would stall the build.
    public static let maxFileSize = 5 * 1024 * 1024

    /// `reuse` holds files read before, by path; those not named in `changed` are taken
    /// from it instead of being read again (a preview's rebuild after one file was saved).
    public static func load(contentDirectory: String, diagnostics: DiagnosticBag,
                            reuse: [String: SourceFile] = [:], changed: Set<String> = []) -> LoadedContent? {
        let fm = FileManager.default
        let root = contentDirectory.hasSuffix("/") ? String(contentDirectory.dropLast()) : contentDirectory
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root, isDirectory: &isDir), isDir.boolValue else {
            diagnostics.error(SourceLocation(path: root), "content folder not found; expected a folder with site.yml and goals/, actions/, ... in it")
            return nil
        }
        let realRoot = URL(fileURLWithPath: root).resolvingSymlinksInPath().path

        let configPath = root + "/site.yml"
        let configText = readText(path: configPath, realRoot: realRoot, diagnostics: diagnostics, missing: "site.yml is missing; expected the site settings (languages, title) in \(configPath)")

        var found: [(path: String, kind: Kind, id: String, language: String)] = []
        let entries = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
        for entry in entries where !isIgnored(entry) {
            let path = root + "/" + entry
            if entry == "site.yml" { continue }
            guard let kind = Kind(folder: entry) else {
                let known = Kind.allCases.map { $0.folder + "/" }.joined(separator: ", ")
                diagnostics.warning(SourceLocation(path: path), "unknown entry in the content folder is ignored; expected site.yml or one of \(known)")
                continue
            }
            guard isDirectory(path) else {
                diagnostics.error(SourceLocation(path: path), "expected a folder of \(kind.rawValue) files")
                continue
            }
            let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted()
            for name in names where !isIgnored(name) {
                let filePath = path + "/" + name
                let location = SourceLocation(path: filePath)
                guard name.hasSuffix(".md") else {
                    if isDirectory(filePath) {
                        diagnostics.error(location, "sub-folders are not read; expected files named <id>.<language>.md directly in \(entry)/")
                    } else {
                        diagnostics.warning(location, "not a Markdown file, ignored; expected <id>.<language>.md")
                    }
                    continue
                }
                let parts = name.dropLast(3).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, !parts[1].isEmpty else {
                    diagnostics.error(location, "file name has no language; expected <id>.<language>.md, such as \(parts.first ?? "id").sv.md")
                    continue
                }
                let (id, language) = (parts[0], parts[1])
                guard Identifier.isValid(id) else {
                    diagnostics.error(location, "id '\(id)' is not allowed; expected \(Identifier.rule)")
                    continue
                }
                found.append((filePath, kind, id, language))
            }
        }
        // Reading and decoding is most of loading, and each file is independent.
        var texts = [String?](repeating: nil, count: found.count)
        texts.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            DispatchQueue.concurrentPerform(iterations: found.count) { i in
                let path = found[i].path
                if let kept = reuse[path], !changed.contains(path) {
                    base[i] = kept.text
                } else {
                    base[i] = readText(path: path, realRoot: realRoot, diagnostics: diagnostics, missing: "file disappeared while reading")
                }
            }
        }
        let files = zip(found, texts).compactMap { file, text in
            text.map { SourceFile(path: file.path, kind: file.kind, id: file.id, language: file.language, text: $0) }
        }
        guard let configText else { return nil }
        return LoadedContent(configPath: configPath, configText: configText, files: files)
    }

    /// Reads files known from an earlier `load` again, as `load` would: nil for one that
    /// can no longer be read (reported).
    public static func reread(_ paths: [String], contentDirectory: String, diagnostics: DiagnosticBag) -> [String: String?] {
        let realRoot = URL(fileURLWithPath: contentDirectory).resolvingSymlinksInPath().path
        var texts: [String: String?] = [:]
        for path in paths {
            texts[path] = readText(path: path, realRoot: realRoot, diagnostics: diagnostics, missing: "file disappeared while reading")
        }
        return texts
    }

    /// Editors' tools leave backups and swap files; they are not content.
    static func isIgnored(_ name: String) -> Bool {
        name.hasPrefix(".") || name.hasSuffix("~") || name.hasPrefix("#")
    }

    static func isDirectory(_ path: String) -> Bool {
        var isDir: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDir) && isDir.boolValue
    }

    /// Reads a file as UTF-8 text, refusing symlinks that leave the content folder,
    /// oversized, empty and non-UTF-8 files with a message that says which.
    static func readText(path: String, realRoot: String, diagnostics: DiagnosticBag, missing: String) -> String? {
        let location = SourceLocation(path: path)
        var info = stat()
        guard lstat(path, &info) == 0 else {
            diagnostics.error(location, missing)
            return nil
        }
        if (info.st_mode & S_IFMT) == S_IFLNK {
            let target = URL(fileURLWithPath: path).resolvingSymlinksInPath().path
            guard target.hasPrefix(realRoot + "/") else {
                diagnostics.error(location, "symbolic link points outside the content folder (to \(target)); expected a file inside it")
                return nil
            }
            guard stat(path, &info) == 0 else {
                diagnostics.error(location, "symbolic link is broken; expected it to point to a file")
                return nil
            }
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            diagnostics.error(location, "not a regular file")
            return nil
        }
        guard Int(info.st_size) <= maxFileSize else {
            diagnostics.error(location, "file is \(Int(info.st_size) / 1024 / 1024) MB; expected at most \(maxFileSize / 1024 / 1024) MB")
            return nil
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            diagnostics.error(location, "file cannot be read")
            return nil
        }
        return decodeText(data, path: path, diagnostics: diagnostics)
    }

    /// A file's bytes as text: refuses empty, non-UTF-8 and NUL-containing files with a
    /// message that says which, and drops a leading byte-order mark.
    static func decodeText(_ data: Data, path: String, diagnostics: DiagnosticBag) -> String? {
        let location = SourceLocation(path: path)
        if data.isEmpty {
            diagnostics.error(location, "file is empty; expected front matter between --- lines, then the text")
            return nil
        }
        guard let text = String(validatingUTF8Data: data) else {
            let (line, column) = firstInvalidUTF8(data)
            diagnostics.error(SourceLocation(path: path, line: line, column: column), "file is not valid UTF-8 text; save it with UTF-8 encoding")
            return nil
        }
        if data.withUnsafeBytes({ memchr($0.baseAddress!, 0, $0.count) != nil }) {
            diagnostics.error(location, "file contains a NUL byte; expected plain text")
            return nil
        }
        // A byte-order mark is harmless; strip it so front matter starts at the first character.
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    /// Line and column of the first byte that is not UTF-8, to point the editor at it.
    static func firstInvalidUTF8(_ data: Data) -> (Int, Int) {
        var bytes = data.makeIterator()
        var decoder = UTF8()
        var line = 1, column = 1
        while true {
            switch decoder.decode(&bytes) {
            case .scalarValue(let scalar):
                if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput: return (line, column)
            case .error: return (line, column)
            }
        }
    }
}

extension String {
    /// Strict UTF-8 decoding: nil instead of replacement characters.
    init?(validatingUTF8Data data: Data) {
        guard let s = String(validating: data, as: UTF8.self) else { return nil }
        self = s
    }
}
