import Foundation

/// Names that change when the bytes do: `style.css` is written as `style.<hash>.css`, so a
/// server may cache it for a year and a reader never keeps an old stylesheet after a deploy.
/// Theme assets that templates name with `{{#asset}}…{{/asset}}` and the search index are
/// renamed; other assets keep their names, so a stylesheet's `@import` or `url()` of a
/// sibling still finds it.
enum Fingerprint {
    /// Hex digits of SHA-256 kept in the name: enough that two versions never meet.
    static let length = 10

    /// `assets/style.css` with its bytes → `assets/style.0123456789.css`.
    static func name(_ path: String, data: Data) -> String {
        let hash = Images.sha256(data).prefix(length)
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return path + "." + hash }
        return path[..<dot] + "." + hash + path[dot...]
    }
}
