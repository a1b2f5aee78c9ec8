import CRenameExchange
import Foundation

/// The one step that changes what readers see: the staged tree and the output trade places.
enum Swap {
    /// Puts the staged tree in the output's place; the old tree is then at the staging path.
    /// `swap` is renameat2's exchange, or a stand-in for a file system without it.
    static func exchange(_ place: OutputPlace, swap: (String, String) -> Int32 = { overens_rename_exchange($0, $1) }) throws {
        guard Disk.kind(place.output) != nil else {
            // A first build: nothing to swap with.
            guard rename(place.staging, place.output) == 0 else { throw WriteError.system("rename", place.output, errno) }
            return
        }
        if swap(place.staging, place.output) == 0 { return }
        guard errno == EINVAL || errno == ENOSYS else { throw WriteError.system("swap", place.output, errno) }
        // The file system cannot swap (some network and FUSE ones): two renames. Between them
        // the output is missing for a moment; a build killed there leaves the old tree set
        // aside, and the next build puts it back before anything else (`removeLeftovers`).
        guard rename(place.output, place.setAside) == 0 else { throw WriteError.system("rename", place.output, errno) }
        guard rename(place.staging, place.output) == 0 else {
            let code = errno
            rename(place.setAside, place.output)
            throw WriteError.system("rename", place.output, code)
        }
        rename(place.setAside, place.staging)
    }

    /// Trees that interrupted builds left beside the output. Called under the lock, so none
    /// of them belongs to a running build, whatever its process id says. A set-aside old tree
    /// goes back first if the output is missing: the site a reader last saw.
    static func removeLeftovers(_ place: OutputPlace) {
        let entries = Disk.names(place.parent).filter { place.leftoverKind($0) != nil }
        if Disk.kind(place.output) == nil, let old = entries.first(where: { place.leftoverKind($0) == "old" }) {
            rename(place.parent + "/" + old, place.output)
        }
        for entry in entries where Disk.kind(place.parent + "/" + entry) != nil {
            Disk.removeTree(place.parent + "/" + entry)
        }
    }

    /// What a signal handler calls: removes this process's staging tree. The output is not
    /// touched; before the swap it is the old site, after it the new one. The tree is renamed
    /// first: pages still rendering write by the staging path, so none can put a file in it
    /// while it is removed (which left the tree behind, its folders not empty).
    static func discardStaging(of place: OutputPlace) {
        let tree = rename(place.staging, place.discarded) == 0 ? place.discarded : place.staging
        for _ in 0..<3 where Disk.kind(tree) != nil {
            Disk.removeTree(tree)
        }
    }
}
