import Foundation
import Mustache

/// Item templates (`templates/items/*`): one link of a list, drawn once per entry, language,
/// folder and template instead of once per page that lists it. A list item is the same on
/// every page of a folder (its addresses are relative to the folder), and on a large site
/// the same actions, goals and parties are listed on thousands of pages.
///
/// An item template sees the link's own names and those of `ItemScope.frameKeys`; anything
/// else is reported like an unknown name, at the template's line.
final class ItemContext: Sendable {
    /// The shared names of the folder (with no menu item current: items do not see the menu).
    let frame: SharedFrame
    let folder: ItemFolder
    let library: MustacheLibrary
    let templates: Set<String>
    let cache: ItemCache
    let misses: Locked<Set<TemplateMiss>>

    init(frame: SharedFrame, folder: ItemFolder, library: MustacheLibrary, templates: Set<String>, cache: ItemCache, misses: Locked<Set<TemplateMiss>>) {
        self.frame = frame
        self.folder = folder
        self.library = library
        self.templates = templates
        self.cache = cache
        self.misses = misses
    }
}

/// A language and a folder: what an item's output depends on besides its entry.
struct ItemFolder: Hashable, Sendable {
    let language: String
    let folder: Substring
}

/// One drawn item: which template drew which entry (and, for a table cell, which of its
/// variants: an entry's cell says yes or no).
struct ItemKey: Hashable, Sendable {
    let template: String
    let kind: Kind
    let id: String
    var variant = ""
}

/// The items drawn so far, for the last few folders only: pages render folder by folder
/// (in job order), and keeping every folder would hold a copy of each item for every
/// folder that lists it. A folder dropped and met again is drawn again, to the same bytes.
final class ItemCache: Sendable {
    static let folders = 4

    private struct State {
        var items: [ItemFolder: [ItemKey: String]] = [:]
        var order: [ItemFolder] = []
    }
    private let state = Locked(State())

    func html(_ folder: ItemFolder, _ key: ItemKey, draw: () -> String) -> String {
        if let found = state.withLock({ $0.items[folder]?[key] }) { return found }
        let drawn = draw()
        state.withLock { state in
            if state.items[folder] == nil {
                state.order.append(folder)
                if state.order.count > Self.folders { state.items[state.order.removeFirst()] = nil }
            }
            state.items[folder, default: [:]][key] = drawn
        }
        return drawn
    }
}

/// What a link gives for `item`: the entry and where its items are kept.
struct ItemDrawer: Sendable {
    let context: ItemContext
    let kind: Kind
    let id: String
}

/// `{{{item.<name>}}}` inside a link's section (or a table cell's): the item template's
/// output for this element. `view` answers the element's own names.
struct ItemFragments: MustacheParent {
    let view: any MustacheParent
    let drawer: ItemDrawer
    var variant = ""

    func child(named name: String) -> Any? {
        let context = drawer.context
        guard context.templates.contains(name) else { return nil }
        let template = Theme.itemFolder + name
        return context.cache.html(context.folder, ItemKey(template: template, kind: drawer.kind, id: drawer.id, variant: variant)) {
            context.library.render(ItemScope(view: view, frame: context.frame), withTemplate: template, misses: context.misses)
        }
    }
}

/// The bottom of an item template's stack: the element, then the folder's shared names.
struct ItemScope: MustacheParent {
    let view: any MustacheParent
    let frame: SharedFrame

    /// What an item template may use besides the link: the shared names that hold no
    /// links (an item drawing items could not end).
    static let frameKeys = Renderer.sharedFrameKeys.subtracting(["nav", "footer_pages"])

    func child(named name: String) -> Any? {
        guard name != "item" else { return nil }
        if let value = view.child(named: name) { return value }
        return Self.frameKeys.contains(name) ? frame.child(named: name) : nil
    }
}
