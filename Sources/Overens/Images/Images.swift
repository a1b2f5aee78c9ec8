import CImageOps
import Foundation

/// What the site makes of each image: the widths of its variants and the largest image it
/// takes at all.
public struct ImageSettings: Hashable, Sendable {
    /// Widths in pixels; those above an image's own width are dropped.
    public var widths: [Int] = [480, 960, 1600]
    /// Width × height, read from the header before any pixel is decoded.
    public var maxPixels: Int = 50_000_000

    public init(widths: [Int] = [480, 960, 1600], maxPixels: Int = 50_000_000) {
        self.widths = widths
        self.maxPixels = maxPixels
    }

    /// The widths as used: positive, each once, ascending.
    var sortedWidths: [Int] { Set(widths.filter { $0 > 0 }).sorted() }
}

public enum ImageFormat: String, Sendable, Hashable, CaseIterable, Codable {
    case jpeg, png, webp

    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        case .webp: "webp"
        }
    }

    public var mimeType: String { "image/\(rawValue)" }

    /// The name people know it by, as messages say it.
    public var name: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        case .webp: "WebP"
        }
    }

    var c: overens_image_format {
        switch self {
        case .jpeg: OVERENS_IMAGE_JPEG
        case .png: OVERENS_IMAGE_PNG
        case .webp: OVERENS_IMAGE_WEBP
        }
    }
}

public struct ImageVariant: Sendable, Hashable {
    public var width: Int
    public var height: Int
    public var format: ImageFormat
    public var data: Data

    public init(width: Int, height: Int, format: ImageFormat, data: Data) {
        self.width = width
        self.height = height
        self.format = format
        self.data = data
    }
}

public struct ProcessedImage: Sendable, Hashable {
    /// The original's size, upright (after its EXIF orientation).
    public var width: Int
    public var height: Int
    public var format: ImageFormat
    /// Ascending by width; at each width WebP, then the original's own format (once, for
    /// a WebP original). Widths above the original's are dropped and, when the original is
    /// narrower than the largest setting, one variant has its own width: never upscaled.
    public var variants: [ImageVariant]

    public init(width: Int, height: Int, format: ImageFormat, variants: [ImageVariant]) {
        self.width = width
        self.height = height
        self.format = format
        self.variants = variants
    }
}

public enum ImageProblem: Error, Hashable, Sendable {
    /// Anything but .jpg, .jpeg, .png or .webp (in any case).
    case unsupportedType(extension: String)
    /// By name or by content: an SVG can carry script.
    case svg
    /// .heic or .heif, or such content: what phones save.
    case heic
    /// The first bytes are not the format the name says; `found` names what they are
    /// ("PNG", "PDF", "empty", "unknown", ...).
    case contentMismatch(expected: ImageFormat, found: String)
    /// From the header, before decoding: upright size and the limit.
    case tooManyPixels(width: Int, height: Int, limit: Int)
    /// The decoder's own words: a damaged or cut-short file.
    case corrupt(String)
    /// libvips, opened when the first image needs it, is not installed or cannot start.
    case libraryUnavailable(String)
}

/// Images through libvips (Sources/CImageOps): checked, turned upright, scaled to the
/// settings' widths and saved as WebP and as their own format, with no metadata.
public enum Images {
    /// Decides the format from the file name and checks the first bytes before libvips
    /// sees anything; then reads the header, and decodes only an image within the limit.
    public static func process(_ data: Data, fileName: String, settings: ImageSettings) -> Result<ProcessedImage, ImageProblem> {
        switch format(of: data, fileName: fileName) {
        case let .failure(problem): .failure(problem)
        case let .success(format): process(data, format: format, settings: settings)
        }
    }

    /// The libvips in use, which the cache keys on: another version may give other bytes.
    public static var libraryVersion: String { String(cString: overens_image_library_version()) }

    /// The format the name promises, if the first bytes keep the promise.
    static func format(of data: Data, fileName: String) -> Result<ImageFormat, ImageProblem> {
        let ext = (fileName as NSString).pathExtension.lowercased()
        let expected: ImageFormat
        switch ext {
        case "jpg", "jpeg": expected = .jpeg
        case "png": expected = .png
        case "webp": expected = .webp
        case "svg", "svgz": return .failure(.svg)
        case "heic", "heif": return .failure(.heic)
        default: return .failure(.unsupportedType(extension: ext))
        }
        switch Sniffed(data) {
        case let .image(found) where found == expected: return .success(expected)
        case let .image(found): return .failure(.contentMismatch(expected: expected, found: found.name))
        case .svg: return .failure(.svg)
        case .heic: return .failure(.heic)
        case let .other(name): return .failure(.contentMismatch(expected: expected, found: name))
        }
    }

    /// The widths to make for an image `width` wide: the settings' below it, and the image's
    /// own width when a setting is as wide or wider.
    static func variantWidths(for width: Int, settings: ImageSettings) -> [Int] {
        let widths = settings.sortedWidths
        let below = widths.filter { $0 < width }
        return below.count < widths.count || below.isEmpty ? below + [width] : below
    }

    private static func process(_ data: Data, format: ImageFormat, settings: ImageSettings) -> Result<ProcessedImage, ImageProblem> {
        var startError: UnsafeMutablePointer<CChar>?
        guard overens_image_start(&startError) == 0 else { return .failure(.libraryUnavailable(take(startError))) }
        return data.withUnsafeBytes { raw -> Result<ProcessedImage, ImageProblem> in
            var error: UnsafeMutablePointer<CChar>?
            guard let image = overens_image_open(raw.baseAddress, raw.count, format.c, &error) else {
                return .failure(.corrupt(take(error)))
            }
            defer { overens_image_close(image) }
            let width = Int(overens_image_width(image)), height = Int(overens_image_height(image))
            guard width * height <= settings.maxPixels else {
                return .failure(.tooManyPixels(width: width, height: height, limit: settings.maxPixels))
            }
            guard overens_image_decode(image, &error) == 0 else { return .failure(.corrupt(take(error))) }
            let formats: [ImageFormat] = format == .webp ? [.webp] : [.webp, format]
            var variants: [ImageVariant] = []
            for target in variantWidths(for: width, settings: settings) {
                guard let scaled = overens_image_resize(image, Int32(target), &error) else { return .failure(.corrupt(take(error))) }
                defer { overens_image_close(scaled) }
                for output in formats {
                    var bytes: UnsafeMutableRawPointer?
                    var length = 0
                    guard overens_image_save(scaled, output.c, &bytes, &length, &error) == 0, let bytes else {
                        return .failure(.corrupt(take(error)))
                    }
                    defer { overens_image_free(bytes) }
                    var encoded = Data(bytes: bytes, count: length)
                    if output == .webp {
                        // libvips 8.14 writes an EXIF block into WebP whatever `strip` says.
                        guard let bare = WebPChunks.withoutMetadata(encoded) else { return .failure(.corrupt("the WebP encoder's output is not a WebP file")) }
                        encoded = bare
                    }
                    variants.append(ImageVariant(width: Int(overens_image_width(scaled)), height: Int(overens_image_height(scaled)),
                                                 format: output, data: encoded))
                }
            }
            return .success(ProcessedImage(width: width, height: height, format: format, variants: variants))
        }
    }

    /// SHA-256 in hex (GLib's, as libvips brings it).
    static func sha256(_ data: Data) -> String {
        data.withUnsafeBytes { raw in
            let hex = overens_sha256(raw.baseAddress, raw.count)!
            defer { overens_image_free(hex) }
            return String(cString: hex)
        }
    }

    private static func take(_ error: UnsafeMutablePointer<CChar>?) -> String {
        guard let error else { return "unknown libvips error" }
        defer { overens_image_free(error) }
        // One line, as it goes into a diagnostic.
        return String(cString: error).split(whereSeparator: \.isNewline).joined(separator: "; ")
    }
}

/// What the first bytes of a file are.
enum Sniffed: Equatable {
    case image(ImageFormat)
    case svg
    case heic
    /// Named for messages: "GIF", "PDF", "empty", "unknown", ...
    case other(String)

    init(_ data: Data) {
        let head = [UInt8](data.prefix(4096))
        func starts(_ bytes: [UInt8], at offset: Int = 0) -> Bool {
            head.count >= offset + bytes.count && Array(head[offset..<offset + bytes.count]) == bytes
        }
        func ascii(_ text: String, at offset: Int = 0) -> Bool { starts(Array(text.utf8), at: offset) }
        if head.isEmpty { self = .other("empty"); return }
        if starts([0xFF, 0xD8, 0xFF]) { self = .image(.jpeg); return }
        if starts([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) { self = .image(.png); return }
        if ascii("RIFF") && ascii("WEBP", at: 8) { self = .image(.webp); return }
        if ascii("ftyp", at: 4) {
            let brand = String(decoding: head.dropFirst(8).prefix(4), as: UTF8.self)
            if ["heic", "heix", "hevc", "hevx", "heim", "heis", "mif1", "msf1"].contains(brand) { self = .heic; return }
            self = .other(brand.hasPrefix("avi") ? "AVIF" : "MP4/QuickTime")
            return
        }
        if ascii("GIF8") { self = .other("GIF"); return }
        if ascii("%PDF") { self = .other("PDF"); return }
        if starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) { self = .other("TIFF"); return }
        if starts([0xFF, 0x0A]) || starts([0, 0, 0, 0x0C]) && ascii("JXL ", at: 4) { self = .other("JPEG XL"); return }
        if ascii("BM") && head.count >= 26 { self = .other("BMP"); return }
        // An SVG is XML text: a BOM, white space or comments may come before `<svg`.
        let text = String(decoding: head, as: UTF8.self).lowercased()
        let start = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if start.hasPrefix("<"), text.contains("<svg") { self = .svg; return }
        self = .other("unknown")
    }
}

/// The chunks of a WebP file (RIFF): what it takes to drop the metadata ones.
enum WebPChunks {
    /// The same file without its EXIF, XMP and ICC chunks, their flags cleared in the VP8X
    /// header; nil when the bytes are not a well-formed WebP file.
    static func withoutMetadata(_ data: Data) -> Data? {
        let bytes = [UInt8](data)
        func uint32(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 | Int(bytes[at + 2]) << 16 | Int(bytes[at + 3]) << 24 }
        guard bytes.count >= 12, bytes[0..<4] == [0x52, 0x49, 0x46, 0x46], bytes[8..<12] == [0x57, 0x45, 0x42, 0x50],
              uint32(4) == bytes.count - 8 else { return nil }
        var kept: [UInt8] = []
        var offset = 12
        while offset < bytes.count {
            guard offset + 8 <= bytes.count else { return nil }
            let name = String(decoding: bytes[offset..<offset + 4], as: UTF8.self)
            let size = uint32(offset + 4)
            let end = offset + 8 + size + (size & 1)
            guard end <= bytes.count else { return nil }
            switch name {
            case "EXIF", "XMP ", "ICCP":
                break
            case "VP8X" where size >= 10:
                var chunk = Array(bytes[offset..<end])
                chunk[8] &= ~(0x20 | 0x08 | 0x04)  // the ICC, EXIF and XMP flags
                kept += chunk
            default:
                kept += bytes[offset..<end]
            }
            offset = end
        }
        let size = UInt32(kept.count + 4)
        let header: [UInt8] = Array("RIFF".utf8) + [0, 8, 16, 24].map { UInt8((size >> $0) & 0xFF) } + Array("WEBP".utf8)
        return Data(header + kept)
    }
}
