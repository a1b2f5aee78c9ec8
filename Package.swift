// swift-tools-version:6.0
import PackageDescription

// Linux only, the one system the tests prove (SwiftPM has no way to declare it); see README.
let package = Package(
    name: "overens",
    products: [
        .executable(name: "overens", targets: ["overens"]),
        .library(name: "Overens", targets: ["Overens"]),
    ],
    dependencies: [
        .package(url: "https://github.com/jpsim/Yams", exact: "6.2.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/swhitty/FlyingFox", exact: "0.27.1"),
    ],
    targets: [
        // cmark-gfm from Debian's libcmark-gfm-dev + libcmark-gfm-extensions-dev.
        .systemLibrary(
            name: "CCmarkGFM",
            pkgConfig: "libcmark-gfm",
            providers: [.apt(["libcmark-gfm-dev", "libcmark-gfm-extensions-dev"])]
        ),
        // renameat2(RENAME_EXCHANGE), which Swift's Glibc module does not show.
        .target(name: "CRenameExchange"),
        // mallopt(M_MMAP_THRESHOLD), which is in malloc.h, not in the Glibc module.
        .target(name: "CMallocTuning"),
        // libvips (and GLib under it) from Debian's libvips-dev, linked: only the tests'
        // image fixtures use it this way.
        .systemLibrary(
            name: "CVips",
            pkgConfig: "vips",
            providers: [.apt(["libvips-dev"])]
        ),
        // GLib alone: its include paths (libvips' headers need them) and its library.
        .systemLibrary(
            name: "CGLib",
            pkgConfig: "glib-2.0",
            providers: [.apt(["libglib2.0-dev"])]
        ),
        // The few libvips calls the site makes, without the variadic arguments Swift cannot
        // pass; libvips itself is opened when the first image needs it (see image_ops.c).
        .target(name: "CImageOps", dependencies: ["CGLib"]),
        // The pipeline: load → parse → link → render → write.
        .target(
            name: "Overens",
            dependencies: [
                "CCmarkGFM",
                "CRenameExchange",
                "CMallocTuning",
                "CImageOps",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Mustache", package: "swift-mustache"),
            ]
        ),
        // Live preview: HTTP server, file watching, reload events.
        .target(
            name: "OverensServe",
            dependencies: [
                "Overens",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        // The command line: a thin shell over the library.
        .executableTarget(
            name: "overens",
            dependencies: [
                "Overens",
                "OverensServe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // libFuzzer entry point over front matter, Markdown and link resolution;
        // built only by scripts/fuzz.sh (with -sanitize=fuzzer -parse-as-library).
        .executableTarget(
            name: "OverensFuzz",
            dependencies: ["Overens"]
        ),
        .testTarget(
            name: "OverensServeTests",
            dependencies: ["OverensServe", "Overens"]
        ),
        // Test images drawn and measured through libvips; only the tests use it.
        .target(name: "CImageFixtures", dependencies: ["CVips"], path: "Tests/CImageFixtures"),
        // FlyingFox: the local HTTP server the external-link tests ask.
        .testTarget(
            name: "OverensTests",
            dependencies: ["Overens", "CImageFixtures", .product(name: "FlyingFox", package: "FlyingFox")],
            exclude: ["FuzzCorpus"]
        ),
    ]
)
