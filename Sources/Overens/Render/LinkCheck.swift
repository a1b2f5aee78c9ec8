import Foundation

/// Every link an editor writes in Markdown, checked against the site as it will be:
/// local paths must name a file of the output, schemes must be ones a reader can follow,
/// and `image:`/`file:` must be used the way they are meant.
extension Renderer {
    /// Checks the links of `entries`, or of the whole site with nil, against `outputs`
    /// (the site's paths; nil: worked out here). Returns the paths it checked against.
    @discardableResult
    func checkLinks(only entries: Set<EntryKey>? = nil, outputs known: Set<String>? = nil, diagnostics: DiagnosticBag) -> Set<String> {
        let outputs = known ?? outputPaths()
        if entries == nil {
            for item in graph.config.menu ?? [] {
                if case .page(let id) = item.target, graph.entry(.page, id) == nil {
                    diagnostics.error(item.location, .menuPageUnknown(id))
                }
            }
        }
        let checked = entries.map { $0.sorted().compactMap { graph.entry($0.kind, $0.id) } } ?? Array(graph.allEntries)
        for entry in checked {
            for language in entry.translations.keys.sorted() {
                let text = entry.translations[language]!
                for alias in text.aliases where Self.aliasProblem(alias.path) != nil {
                    diagnostics.error(alias.location, .aliasProblem(alias.path))
                }
                for link in text.body.links {
                    let location = SourceLocation(path: text.path, line: link.line, column: link.column)
                    check(link, at: location, page: paths.page(entry, language), outputs: outputs, diagnostics: diagnostics)
                }
            }
        }
        return outputs
    }

    private func check(_ link: MarkdownLink, at location: SourceLocation, page: String, outputs: Set<String>, diagnostics: DiagnosticBag) {
        switch link.target {
        case .forbidden(let scheme):
            diagnostics.error(location, .linkScheme(scheme == "//" ? "//" : scheme + ":"))
        case .local(let url):
            guard !url.isEmpty else { return diagnostics.error(location, .linkEmpty) }
            guard let target = localTarget(url, from: page) else {
                return diagnostics.error(location, .linkBroken(url, resolved: url, hint: nil))
            }
            if !outputs.contains(target.path) {
                diagnostics.error(location, .linkBroken(url, resolved: target.path, hint: nearest(target.path, among: outputs)))
            }
        case .image where !link.isImage:
            diagnostics.error(location, .imageSchemeOnLink)
        case .image where !link.standalone:
            diagnostics.error(location, .imageNotAlone)
        case .file where link.isImage:
            diagnostics.error(location, .fileSchemeOnImage)
        case .entry, .file, .image, .external, .fragment:
            break
        }
    }

    /// Every path the output will have: pages, extras, theme assets, files and images.
    func outputPaths() -> Set<String> {
        var all = Set(jobs().map(path(of:)))
        all.formUnion(extraPaths())
        all.formUnion(theme.assets.map(\.path))
        all.formUnion(media.outputPaths)
        return all
    }
}
