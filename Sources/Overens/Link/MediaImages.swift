import Foundation

/// A photo the site shows: its processed variants and who took it.
public struct PublishedImage: Sendable {
    /// The path inside `content/images/`.
    public var name: String
    public var processed: ProcessedImage
    public var credit: ImageCredit?

    /// Where a variant goes in the output: `images/nyheter/forum-960.webp`.
    public func outputPath(_ variant: ImageVariant) -> String {
        let stem = name.lastIndex(of: ".").map { String(name[..<$0]) } ?? name
        return AssetFolder.images.outputFolder + "/" + stem + "-\(variant.width)." + variant.format.fileExtension
    }
}

/// One place content shows an image: a Markdown image or a front matter `image:`.
struct ImageUse: Equatable {
    var name: String
    var location: SourceLocation
    /// Markdown images: the alt text written; front matter: nil (its `image_alt:` is checked per file).
    var alt: String?
}

extension Media {
    /// Every image content shows, checked and processed (through the cache outside the
    /// output, so an unchanged photo costs a hash, not a decode).
    mutating func resolveImages(_ graph: SiteGraph, assets: [AssetFile], credits: ImageCredits, cache: ImageCache,
                                contentDirectory: String, diagnostics: DiagnosticBag) {
        let listed = Self.listing(assets, .images)
        let folder = "content/" + AssetFolder.images.rawValue
        var uses: [String: [ImageUse]] = [:]
        for use in Self.imageUses(graph.allEntries, diagnostics: diagnostics) {
            let name = Self.key(use.name)
            if Self.listedName(use.name, at: use.location, in: listed, folder: .images, diagnostics: diagnostics) != nil {
                uses[name, default: []].append(use)
            }
            if let alt = use.alt {
                let written = alt.trimmingCharacters(in: .whitespacesAndNewlines)
                let base = (name as NSString).lastPathComponent
                let stem = (base as NSString).deletingPathExtension
                if written.isEmpty {
                    diagnostics.error(use.location, .imageAltMissing(name))
                } else if [base, stem, name].contains(where: { $0.caseInsensitiveCompare(written) == .orderedSame }) {
                    diagnostics.error(use.location, .imageAltIsName(name))
                }
            }
        }
        let settings = ImageSettings(maxPixels: graph.config.maxImagePixels)
        let names = uses.keys.sorted()
        let root = Files.Root(contentDirectory + "/" + AssetFolder.images.rawValue, name: AssetFolder.images.rawValue + " folder")
        let results = parallelMap(names) { name -> Result<ProcessedImage, ImageProblem>? in
            guard let asset = listed[name] else { return nil }
            if case .refused = asset.state { return nil }
            let bag = DiagnosticBag()
            guard let data = Files.readData(asset.path, in: root, diagnostics: bag, missing: .fileDisappeared) else { return nil }
            return cache.process(data, fileName: name, settings: settings)
        }
        for (name, result) in zip(names, results) {
            let asset = listed[name]!
            switch result {
            case .success(let processed)?:
                images[name] = PublishedImage(name: name, processed: processed, credit: credits[name])
                if credits[name] == nil {
                    diagnostics.warning(uses[name]![0].location, .imageNoCredit(name, credits: folder + "/" + ImageCreditsFile.name))
                }
            case .failure(let problem)?:
                for use in uses[name]! { diagnostics.error(use.location, .image(named: name, problem)) }
            case nil:
                let message: Message = if case .refused(let refusal) = asset.state { refusal } else { .unreadable }
                for use in uses[name]! { diagnostics.error(use.location, message) }
            }
        }
        for asset in listed.values.sorted(by: { $0.name < $1.name }) where uses[asset.name] == nil {
            diagnostics.warning(SourceLocation(path: asset.path), .imageUnused)
        }
    }

    /// Every `![alt](image:name)` and every `image:` field; a field's `image_alt:` is
    /// required in each of the entry's files.
    static func imageUses(_ entries: some Sequence<Entry>, diagnostics: DiagnosticBag) -> [ImageUse] {
        var uses: [ImageUse] = []
        for entry in entries {
            if let image = entry.fields.image {
                uses.append(ImageUse(name: image.path, location: image.location, alt: nil))
                for language in entry.translations.keys.sorted() {
                    let text = entry.translations[language]!
                    if text.imageAlt == nil {
                        let place = language == entry.primaryLanguage ? image.location : SourceLocation(path: text.path, line: 1, column: 1)
                        diagnostics.error(place, .imageFieldNeedsAlt(image.path))
                    }
                }
            }
            for language in entry.translations.keys.sorted() {
                let text = entry.translations[language]!
                for link in text.body.links where link.isImage {
                    if case .image(let name) = link.target {
                        uses.append(ImageUse(name: name, location: SourceLocation(path: text.path, line: link.line, column: link.column), alt: link.alt))
                    }
                }
            }
        }
        return uses
    }
}
