import Foundation

/// Everything read from disk that the rest of the pipeline needs, nothing parsed yet
/// beyond splitting file names.
public struct LoadedContent: Sendable {
    public var configPath: String
    public var configText: String
    public var files: [SourceFile]
    /// What `content/files/` and `content/images/` hold.
    public var assets: [AssetFile] = []
    /// `content/images/credits.yml`, when there is one.
    public var credits: (path: String, text: String)?
}

/// Reads `content/`: `site.yml` and `<kind folder>/<id>.<lang>.md` files. Reports every
/// problem it can find in one pass instead of stopping at the first.
public enum ContentLoader {
    /// `reuse` holds files read before, by path; those not named in `changed` are taken
    /// from it instead of being read again (a preview's rebuild after one file was saved).
    public static func load(contentDirectory: String, diagnostics: DiagnosticBag,
                            reuse: [String: SourceFile] = [:], changed: Set<String> = []) -> LoadedContent? {
        let fm = FileManager.default
        let folder = Files.Root(contentDirectory, name: "content folder")
        let root = folder.path
        guard Files.isDirectory(root) else {
            diagnostics.error(SourceLocation(path: root), .contentFolderMissing)
            return nil
        }

        let configPath = root + "/site.yml"
        let configText = Files.readText(configPath, in: folder, diagnostics: diagnostics, missing: .siteConfigMissing(configPath))

        var found: [(path: String, kind: Kind, id: String, language: String)] = []
        var assets: [AssetFile] = []
        let entries = ((try? fm.contentsOfDirectory(atPath: root)) ?? []).sorted()
        for entry in entries where !Files.isIgnored(entry) {
            let path = root + "/" + entry
            if entry == "site.yml" { continue }
            if let folder = AssetFolder(rawValue: entry) {
                if Files.isDirectory(path) {
                    assets += AssetLister.list(folder, contentDirectory: root)
                } else {
                    diagnostics.error(SourceLocation(path: path), .expectedAssetFolder(entry))
                }
                continue
            }
            guard let kind = Kind(folder: entry) else {
                let known = (Kind.allCases.map(\.folder) + AssetFolder.allCases.map(\.rawValue)).map { $0 + "/" }.joined(separator: ", ")
                diagnostics.warning(SourceLocation(path: path), .unknownContentEntry(known: known))
                continue
            }
            guard Files.isDirectory(path) else {
                diagnostics.error(SourceLocation(path: path), .expectedKindFolder(kind.rawValue))
                continue
            }
            let names = ((try? fm.contentsOfDirectory(atPath: path)) ?? []).sorted()
            for name in names where !Files.isIgnored(name) {
                let filePath = path + "/" + name
                let location = SourceLocation(path: filePath)
                guard name.hasSuffix(".md") else {
                    if Files.isDirectory(filePath) {
                        diagnostics.error(location, .subFolder(entry))
                    } else {
                        diagnostics.warning(location, .notMarkdown)
                    }
                    continue
                }
                let parts = name.dropLast(3).split(separator: ".", omittingEmptySubsequences: false).map(String.init)
                guard parts.count == 2, !parts[1].isEmpty else {
                    diagnostics.error(location, .noLanguageInName(parts.first ?? "id"))
                    continue
                }
                let (id, language) = (parts[0], parts[1])
                guard Identifier.isValid(id) else {
                    diagnostics.error(location, .badFileId(id))
                    continue
                }
                found.append((filePath, kind, id, language))
            }
        }
        // Reading and decoding is most of loading, and each file is independent.
        let texts = parallelMap(found.map(\.path)) { path -> String? in
            if let kept = reuse[path], !changed.contains(path) { return kept.text }
            return Files.readText(path, in: folder, diagnostics: diagnostics, missing: .fileDisappeared)
        }
        let files = zip(found, texts).compactMap { file, text in
            text.map { SourceFile(path: file.path, kind: file.kind, id: file.id, language: file.language, text: $0) }
        }
        guard let configText else { return nil }
        var loaded = LoadedContent(configPath: configPath, configText: configText, files: files, assets: assets)
        let creditsPath = root + "/" + AssetFolder.images.rawValue + "/" + ImageCreditsFile.name
        if FileManager.default.fileExists(atPath: creditsPath) || Files.isSymbolicLink(creditsPath),
           let text = Files.readText(creditsPath, in: folder, diagnostics: diagnostics, missing: .fileDisappeared) {
            loaded.credits = (creditsPath, text)
        }
        return loaded
    }

    /// The entry a content file belongs to, from its path alone (`goals/halsa.sv.md`): for
    /// a file that could not be read, so that what only follows from it is not reported.
    public static func entryKey(ofPath path: String) -> EntryKey? {
        let parts = path.split(separator: "/")
        guard parts.count >= 2, let kind = Kind.allCases.first(where: { $0.folder == parts[parts.count - 2] }),
              let id = parts.last?.split(separator: ".").first, !id.isEmpty else { return nil }
        return EntryKey(kind: kind, id: String(id))
    }

    /// Reads files known from an earlier `load` again, as `load` would: nil for one that
    /// can no longer be read (reported).
    public static func reread(_ paths: [String], contentDirectory: String, diagnostics: DiagnosticBag) -> [String: String?] {
        let folder = Files.Root(contentDirectory, name: "content folder")
        var texts: [String: String?] = [:]
        for path in paths {
            texts[path] = Files.readText(path, in: folder, diagnostics: diagnostics, missing: .fileDisappeared)
        }
        return texts
    }
}
