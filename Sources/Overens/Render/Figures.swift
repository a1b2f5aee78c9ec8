import Foundation

/// Photos as pages show them: a `<figure>` with a `<picture>` of WebP and the photo's own
/// format at each width, the browser choosing by the reader's screen; the caption and the
/// photographer below.
extension Renderer {
    /// How wide the text column is, for the browser's choice of width (the theme's --measure).
    static let imageSizes = "(min-width: 48rem) 46rem, 100vw"

    /// `lazy`: false for a photo at the top of a page, which the reader sees first.
    func figure(_ image: PublishedImage, alt: String, caption: String?, language: String, from path: String, lazy: Bool = true) -> String {
        let variants = image.processed.variants
        func srcset(_ format: ImageFormat) -> String {
            variants.filter { $0.format == format }.map { Self.srcsetSafe(Paths.relative(from: path, to: image.outputPath($0))) + " \($0.width)w" }.joined(separator: ", ")
        }
        let own = variants.filter { $0.format == image.processed.format }
        // The fallback `src`: a middle width, good enough for a browser without srcset.
        guard let fallback = own.last(where: { $0.width <= 960 }) ?? own.first else { return "" }
        var html = "<figure class=\"figure\">\n<picture>\n"
        if image.processed.format != .webp, variants.contains(where: { $0.format == .webp }) {
            html += "<source type=\"image/webp\" srcset=\"\(srcset(.webp))\" sizes=\"\(Self.imageSizes)\">\n"
        }
        html += "<img src=\"\(Self.srcsetSafe(Paths.relative(from: path, to: image.outputPath(fallback))))\" srcset=\"\(srcset(image.processed.format))\" sizes=\"\(Self.imageSizes)\""
        html += " width=\"\(fallback.width)\" height=\"\(fallback.height)\" alt=\"\(Escape.html(alt))\"" + (lazy ? " loading=\"lazy\"" : "") + " decoding=\"async\">\n</picture>\n"
        let credit = image.credit.map { "<span class=\"credit\">" + Escape.html(theme.string(language, "photo_credit") + ": " + $0.credit) + "</span>" }
        let parts = [caption.flatMap { $0.isEmpty ? nil : "<span class=\"caption\">" + Escape.html($0) + "</span>" }, credit].compactMap { $0 }
        if !parts.isEmpty { html += "<figcaption>" + parts.joined(separator: " ") + "</figcaption>\n" }
        return html + "</figure>\n"
    }

    /// A path inside `srcset`, where spaces and commas separate candidates.
    static func srcsetSafe(_ path: String) -> String {
        path.addingPercentEncoding(withAllowedCharacters: srcsetCharacters) ?? ""
    }

    private static let srcsetCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/%")

    /// The image a page is shared with: its own `image:`, else the first photo in its text.
    func shareImage(of entry: Entry, language: String) -> PublishedImage? {
        if let name = entry.fields.image?.path, let image = media.images[Media.key(name)] { return image }
        for link in entry.text(in: language).body.links where link.isImage {
            if case .image(let name) = link.target, let image = media.images[Media.key(name)] { return image }
        }
        return nil
    }
}
