import ArgumentParser
import Foundation
import Overens

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Build, serve on loopback and rebuild on every change.")
    @OptionGroup var source: SourceOptions
    func run() throws { throw Exit.usage }
}
