// swift-tools-version:6.0
import PackageDescription

// swift-mustache 2.1.1 by itself, the version and the kind of view overens renders with:
// how much one tag costs, and how that grows with the depth of the context stack.
let package = Package(
    name: "mustache-alone",
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/swift-mustache", exact: "2.1.1"),
    ],
    targets: [
        .executableTarget(name: "mustache-alone", dependencies: [.product(name: "Mustache", package: "swift-mustache")]),
    ]
)
