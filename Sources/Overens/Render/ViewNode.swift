import Foundation
import Mustache

/// Records the names a template asked for that no view provides. swift-mustache renders
/// those as empty; the build reports them instead of shipping a blank.
final class MissRecorder {
    var misses: Set<String> = []
}

/// A view model node for the templates. Strict nodes are the page root and nodes reached
/// only by dotted names (`t.skip`), so a name they lack is a name nothing has: lookups
/// climb from the innermost section to the root, and the root is asked last.
struct ViewNode: MustacheParent {
    let values: [String: Any]
    let recorder: MissRecorder?

    init(_ values: [String: Any], strictWith recorder: MissRecorder? = nil) {
        self.values = values
        self.recorder = recorder
    }

    func child(named name: String) -> Any? {
        if let value = values[name] { return value }
        recorder?.misses.insert(name)
        return nil
    }
}
