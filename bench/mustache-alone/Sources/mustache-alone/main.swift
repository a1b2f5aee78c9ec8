import Foundation
import Mustache

// Views shaped like overens' own: structs answering names with a switch (MustacheParent),
// a frame at the bottom of the stack, a list of items on top.
struct Frame: MustacheParent {
    let lang = "sv"
    let root = "../"
    let t = Strings()
    let page: Page
    func child(named name: String) -> Any? {
        switch name {
        case "lang": lang
        case "root": root
        case "t": t
        case "page": page
        default: nil
        }
    }
}

struct Strings: MustacheParent {
    func child(named name: String) -> Any? {
        switch name {
        case "read_more": "Läs mer"
        case "status": "Status"
        default: nil
        }
    }
}

struct Page: MustacheParent {
    let items: [Item]
    func child(named name: String) -> Any? {
        switch name {
        case "items": items
        default: nil
        }
    }
}

struct Item: MustacheParent {
    let title: String
    let href: String
    let summary: String
    func child(named name: String) -> Any? {
        switch name {
        case "title": title
        case "href": href
        case "summary": summary
        case "text_summary": Text(summary)
        case "has_summary": true
        case "text_title": Text(title)
        case "text_href": Text(href)
        default: nil
        }
    }
}

/// A text that a section tests and then prints: swift-mustache pushes a section's value on
/// the stack, and asks it for every name inside; a String is asked through `Mirror`.
struct Text: MustacheCustomRenderable, MustacheParent {
    let text: String
    init(_ text: String) { self.text = text }
    var renderText: String { text }
    var isNull: Bool { false }
    func child(named name: String) -> Any? { nil }
}

/// Tags in one render: per item, `own` names found on the item, `deep` names found on the
/// frame three levels down.
let own = "{{#page}}{{#items}}<a href=\"{{href}}\">{{title}}</a><p>{{summary}}</p>{{/items}}{{/page}}"
let ownUnescaped = "{{#page}}{{#items}}<a href=\"{{{href}}}\">{{{title}}}</a><p>{{{summary}}}</p>{{/items}}{{/page}}"
let deep = "{{#page}}{{#items}}<a href=\"{{root}}x\">{{lang}}</a><p>{{t.read_more}}</p>{{/items}}{{/page}}"

let testedString = "{{#page}}{{#items}}{{#summary}}<p>{{summary}}</p><p>{{t.read_more}}</p>{{/summary}}{{/items}}{{/page}}"
let testedText = "{{#page}}{{#items}}{{#text_summary}}<p>{{text_summary}}</p><p>{{t.read_more}}</p>{{/text_summary}}{{/items}}{{/page}}"
let testedBool = "{{#page}}{{#items}}{{#has_summary}}<p>{{summary}}</p><p>{{t.read_more}}</p>{{/has_summary}}{{/items}}{{/page}}"

let items = (0..<1000).map { Item(title: "Insats \($0)", href: "insatser/insats-\($0).html", summary: "En kort sammanfattning av insats \($0).") }
let frame = Frame(page: Page(items: items))

func measure(_ name: String, _ template: String, rounds: Int = 50) {
    let library = try! MustacheLibrary(templates: ["t": try! MustacheTemplate(string: template)])
    var out = 0
    let start = DispatchTime.now()
    for _ in 0..<rounds { out += library.render(frame, withTemplate: "t")!.utf8.count }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    let tags = Double(rounds * items.count * 3)
    print(String(format: "%@: %.0f ns per tag (%d bytes a render)", name, seconds / tags * 1e9, out / rounds))
}

/// The same output written by Swift directly: what the bytes themselves cost.
func measureDirect(rounds: Int = 50) {
    var out = 0
    let start = DispatchTime.now()
    for _ in 0..<rounds {
        var s = ""
        for item in frame.page.items { s += "<a href=\"\(item.href)\">\(item.title)</a><p>\(item.summary)</p>" }
        out += s.utf8.count
    }
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    print(String(format: "plain Swift: %.0f ns per value (%d bytes a render)", seconds / Double(rounds * items.count * 3) * 1e9, out / rounds))
}

let only = CommandLine.arguments.dropFirst().first
if only == "tested" {
    measure("a String tested, then printed, then a frame name", testedString)
    measure("the same with a MustacheCustomRenderable & MustacheParent value", testedText)
    measure("the same with a Bool to test and the String to print", testedBool)
    measure("names on the item, Strings", own)
    measure("names on the item, MustacheCustomRenderable values", "{{#page}}{{#items}}<a href=\"{{text_href}}\">{{text_title}}</a><p>{{text_summary}}</p>{{/items}}{{/page}}")
    exit(0)
}
if only == nil || only == "own" { measure("names on the item (top of the stack)", own) }
if only == "unescaped" { measure("the same, not escaped ({{{name}}})", ownUnescaped, rounds: 200); exit(0) }
measure("the same, not escaped ({{{name}}})", ownUnescaped)
measure("names on the frame (three levels down)", deep)
measureDirect()
