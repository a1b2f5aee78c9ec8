import Foundation

/// Processed images kept on disk between builds, so an unchanged image costs a read, not a
/// decode. It belongs outside the output folder (e.g. `<build cache>/images`).
///
/// An entry's name is a SHA-256 of everything its bytes depend on: the image's bytes, the
/// settings, the libvips version and `formatVersion`. Each entry carries a SHA-256 of its
/// contents, so a damaged one is noticed, ignored and written again. Only successes
/// are kept; a problem is found again (cheaply: by name and first bytes, or from the
/// header) and so reported on every build.
public struct ImageCache: Sendable {
    public let folder: String
    /// What a miss costs: Images.process, or a stand-in that counts the calls in tests.
    let compute: @Sendable (Data, String, ImageSettings) -> Result<ProcessedImage, ImageProblem>

    /// Raise when what Images.process makes of the same bytes changes (quality, metadata,
    /// the choice of widths), so no entry of the old kind is used.
    static let formatVersion = 1
    static let magic = "overens-image-cache \(formatVersion)\n"

    /// `folder` is made when the first entry is written.
    public init(folder: String) {
        self.init(folder: folder, compute: Images.process)
    }

    init(folder: String, compute: @escaping @Sendable (Data, String, ImageSettings) -> Result<ProcessedImage, ImageProblem>) {
        self.folder = folder
        self.compute = compute
    }

    /// The same result as Images.process, from disk when these bytes were processed with
    /// these settings before.
    public func process(_ data: Data, fileName: String, settings: ImageSettings) -> Result<ProcessedImage, ImageProblem> {
        let format: ImageFormat
        switch Images.format(of: data, fileName: fileName) {
        case let .failure(problem): return .failure(problem)
        case let .success(found): format = found
        }
        let key = Self.key(data, format: format, settings: settings)
        let path = folder + "/" + key + ".image"
        if let stored = FileManager.default.contents(atPath: path), let image = Self.decode(stored, key: key) {
            return .success(image)
        }
        let result = compute(data, fileName, settings)
        if case let .success(image) = result {
            // A cache that cannot be written only costs the next build time.
            try? store(Self.encode(image, key: key), at: path)
        }
        return result
    }

    static func key(_ data: Data, format: ImageFormat, settings: ImageSettings) -> String {
        let inputs = """
            overens images \(formatVersion)
            libvips \(Images.libraryVersion)
            image \(Images.sha256(data)) \(format.rawValue)
            widths \(settings.sortedWidths.map(String.init).joined(separator: ","))
            max pixels \(settings.maxPixels)
            """
        return Images.sha256(Data(inputs.utf8))
    }

    /// Beside the entry under a name no other writer uses, then renamed over it: a reader
    /// sees a whole entry or none.
    private func store(_ data: Data, at path: String) throws {
        try Disk.makeFolders(folder)
        let temp = folder + "/.\(getpid())-\(UUID().uuidString).tmp"
        try Disk.create(temp, data: data)
        guard rename(temp, path) == 0 else {
            let code = errno
            unlink(temp)
            throw WriteError.system("rename", path, code)
        }
    }

    struct Header: Codable {
        struct Variant: Codable {
            var width: Int, height: Int, format: ImageFormat, length: Int
        }
        var key: String
        var width: Int, height: Int, format: ImageFormat
        var variants: [Variant]
    }

    /// The magic line, a line with the SHA-256 of all that follows it, the header as one
    /// line of JSON, then the variants' bytes in order.
    static func encode(_ image: ProcessedImage, key: String) -> Data {
        let header = Header(key: key, width: image.width, height: image.height, format: image.format, variants: image.variants.map {
            Header.Variant(width: $0.width, height: $0.height, format: $0.format, length: $0.data.count)
        })
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        var body = (try? encoder.encode(header)) ?? Data()
        body.append(UInt8(ascii: "\n"))
        for variant in image.variants { body.append(variant.data) }
        return Data((magic + Images.sha256(body) + "\n").utf8) + body
    }

    /// Nil unless the checksum holds, the header is this key's and the lengths add up.
    static func decode(_ stored: Data, key: String) -> ProcessedImage? {
        let magic = Data(magic.utf8)
        let sumLength = 65
        guard stored.starts(with: magic), stored.count > magic.count + sumLength else { return nil }
        let sum = stored[stored.startIndex + magic.count..<stored.startIndex + magic.count + sumLength]
        let body = stored[(sum.endIndex)...]
        guard Data((Images.sha256(body) + "\n").utf8) == sum,
              let newline = body.firstIndex(of: UInt8(ascii: "\n")),
              let header = try? JSONDecoder().decode(Header.self, from: body[..<newline]),
              header.key == key else { return nil }
        var offset = newline + 1
        var variants: [ImageVariant] = []
        for v in header.variants {
            guard v.length >= 0, v.length <= body.endIndex - offset else { return nil }
            variants.append(ImageVariant(width: v.width, height: v.height, format: v.format, data: Data(body[offset..<offset + v.length])))
            offset += v.length
        }
        guard offset == body.endIndex else { return nil }
        return ProcessedImage(width: header.width, height: header.height, format: header.format, variants: variants)
    }
}
