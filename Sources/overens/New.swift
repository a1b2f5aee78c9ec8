import ArgumentParser
import Foundation
import Overens

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a new content file in every language.")
    @OptionGroup var source: SourceOptions
    func run() throws { throw Exit.usage }
}
