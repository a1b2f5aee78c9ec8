import Foundation

/// The output folder, resolved, and the places beside it a build uses. They share the
/// output's parent, so they are on its file system and a rename between them is one step;
/// none of them is inside the output, which holds nothing of the tool's own.
struct OutputPlace: Sendable, Equatable {
    /// The output's real path: symlinks resolved, also in a part that does not exist yet.
    let output: String
    let parent: String
    let name: String

    init(_ output: String) {
        self.output = Files.canonical(output)
        parent = (self.output as NSString).deletingLastPathComponent
        name = (self.output as NSString).lastPathComponent
    }

    /// Where this process builds the new tree; after the swap it holds the old one.
    var staging: String { leftover("new", getpid()) }
    /// Only used where the file system cannot swap in one step (see `Swap`).
    var setAside: String { leftover("old", getpid()) }
    /// The staging tree renamed out of its writers' way, being removed after a signal.
    var discarded: String { leftover("gone", getpid()) }

    func leftover(_ kind: String, _ pid: Int32) -> String { parent + "/." + name + ".overens-\(kind)-\(pid)" }

    /// `new`, `old` or `gone` when `entry` (a name in the parent folder) is a tree a build
    /// left there.
    func leftoverKind(_ entry: String) -> String? {
        let prefix = "." + name + ".overens-"
        guard entry.hasPrefix(prefix) else { return nil }
        let rest = entry.dropFirst(prefix.count).split(separator: "-", maxSplits: 1)
        guard rest.count == 2, ["new", "old", "gone"].contains(rest[0]), !rest[1].isEmpty, rest[1].allSatisfy(\.isNumber) else { return nil }
        return String(rest[0])
    }
}
