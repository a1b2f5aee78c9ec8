import Foundation

/// Checks a theme's templates before the template engine sees them. swift-mustache parses
/// and renders by recursion and has no limit of its own: a template that includes itself
/// (`{{> loop}}` in `loop.mustache`), or sections nested thousands deep, overflow the stack
/// and kill the process. So the include graph and the nesting are read from the files
/// first, and anything that could not end is an error at its line.
enum TemplateCheck {
    /// Deeper nesting of sections in one file is refused before parsing; real templates
    /// nest a handful deep.
    static let maxSectionDepth = 50
    /// Longest chain of templates that include or extend one another.
    static let maxIncludeDepth = 20

    /// One `{{> name}}` or `{{< name}}` tag.
    struct Include {
        var name: String
        var location: SourceLocation
        var dynamic: Bool
    }

    /// What one file's tags say: the templates it includes and how deep its sections go.
    struct Scan {
        var includes: [Include] = []
        /// What `{{#asset}}…{{/asset}}` names, and what follows a bare `{{assets}}`.
        var assets: [(name: String, location: SourceLocation)] = []
        var assetsByFixedName: [(name: String, location: SourceLocation)] = []
        /// What `{{{item.<name>}}}` (or any tag of `item.<name>`) names.
        var items: [(name: String, location: SourceLocation)] = []
        /// `{{$name}}` outside a `{{<parent}}`: where a block is drawn. A page's override of
        /// that block is drawn there, partials and all, so those partials are steps of the
        /// chain from here.
        var expansions: [(name: String, location: SourceLocation)] = []
        /// What the overrides of each block (`{{<parent}}{{$name}}…{{/name}}{{/parent}}`) include.
        var overrideIncludes: [String: [Include]] = [:]
        var depth = 0
        var deepestTag: SourceLocation?
    }

    /// Reads the tags of one template as swift-mustache does, delimiter changes
    /// (`{{=<% %>=}}`) included, in one pass.
    static func scan(_ text: String, path: String) -> Scan {
        let bytes = Array(text.utf8)
        var open = Array("{{".utf8), close = Array("}}".utf8)
        var scan = Scan()
        // The open sections (their nesting is the depth), with the block an override defines.
        var sections: [(sigil: UInt8, override: String?)] = []
        var lineStarts = [0]
        for (i, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(i + 1) }
        func location(_ offset: Int) -> SourceLocation {
            var low = 0, high = lineStarts.count - 1
            while low < high {
                let mid = (low + high + 1) / 2
                if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
            }
            let column = String(decoding: bytes[lineStarts[low]..<offset], as: UTF8.self).count + 1
            return SourceLocation(path: path, line: low + 1, column: column)
        }
        func find(_ needle: [UInt8], from start: Int) -> Int? {
            guard !needle.isEmpty, bytes.count >= needle.count, start <= bytes.count - needle.count else { return nil }
            var i = start
            while i <= bytes.count - needle.count {
                if bytes[i] == needle[0] && bytes[i..<i + needle.count].elementsEqual(needle) { return i }
                i += 1
            }
            return nil
        }
        var position = 0
        var assetSection: (from: Int, location: SourceLocation)?
        while let start = find(open, from: position) {
            let inner = start + open.count
            guard inner < bytes.count, let end = find(close, from: inner) else { break }
            // `{{}}` has no sigil and no body.
            let sigil = end > inner ? bytes[inner] : 0
            let body = end > inner ? String(decoding: bytes[(inner + 1)..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces) : ""
            position = end + close.count
            let tagName = "#^{&".utf8.contains(sigil) ? body : String(decoding: bytes[inner..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces)
            if tagName.hasPrefix(itemPrefix) { scan.items.append((String(tagName.dropFirst(itemPrefix.count)), location(start))) }
            switch sigil {
            case UInt8(ascii: "#"), UInt8(ascii: "^"), UInt8(ascii: "$"):
                if sigil == UInt8(ascii: "#"), body == assetLambda { assetSection = (position, location(start)) }
                var override: String?
                if sigil == UInt8(ascii: "$") {
                    if sections.last?.sigil == UInt8(ascii: "<") { override = body } else { scan.expansions.append((body, location(start))) }
                }
                sections.append((sigil, override))
            case UInt8(ascii: "<"), UInt8(ascii: ">"):
                let dynamic = body.hasPrefix("*")
                let name = dynamic ? String(body.dropFirst()).trimmingCharacters(in: .whitespaces) : body
                let include = Include(name: name, location: location(start), dynamic: dynamic)
                scan.includes.append(include)
                for block in Set(sections.compactMap(\.override)) { scan.overrideIncludes[block, default: []].append(include) }
                if sigil == UInt8(ascii: "<") { sections.append((sigil, nil)) }
            case UInt8(ascii: "/"):
                if !sections.isEmpty { sections.removeLast() }
                if body == assetLambda, let section = assetSection {
                    let name = String(decoding: bytes[section.from..<start], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    scan.assets.append((name, section.location))
                    assetSection = nil
                }
            case UInt8(ascii: "="):
                // `{{=<% %>=}}`: the new delimiters, between the two `=`.
                let parts = body.trimmingCharacters(in: CharacterSet(charactersIn: "=")).split(whereSeparator: \.isWhitespace)
                if parts.count == 2 {
                    open = Array(parts[0].utf8)
                    close = Array(parts[1].utf8)
                }
            case UInt8(ascii: "{"):
                // `{{{name}}}`: the third brace follows the closing delimiter.
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1 }
            default:
                // `{{assets}}style.css`: the folder with a name written after it.
                if String(decoding: bytes[inner..<end], as: UTF8.self).trimmingCharacters(in: .whitespaces) == "assets" {
                    var stop = position
                    while stop < bytes.count, !" \t\n\"'()<>{".utf8.contains(bytes[stop]) { stop += 1 }
                    if stop > position {
                        scan.assetsByFixedName.append((String(decoding: bytes[position..<stop], as: UTF8.self), location(start)))
                    }
                }
            }
            if sections.count > scan.depth {
                scan.depth = sections.count
                if sections.count > maxSectionDepth && scan.deepestTag == nil { scan.deepestTag = location(start) }
            }
        }
        return scan
    }

    static let itemPrefix = "item."

    /// Every `{{{item.<name>}}}` must name a template of `templates/items/`.
    static func checkItems(_ scans: [String: Scan], diagnostics: DiagnosticBag) {
        let names = Theme.itemNames(among: scans.keys)
        for (_, scan) in scans.sorted(by: { $0.key < $1.key }) {
            for reference in scan.items where !names.contains(reference.name) {
                diagnostics.error(reference.location, .itemTemplateMissing(reference.name, nearest: nearest(reference.name, among: names)))
            }
        }
    }

    /// The lambda that gives an asset's published name: `{{#asset}}style.css{{/asset}}`.
    static let assetLambda = "asset"

    /// Every `{{#asset}}` must name a file of `theme/assets/`; a fingerprinted file may not be
    /// linked by its fixed name, which the output does not have.
    static func checkAssets(_ scans: [String: Scan], names: [String: String], diagnostics: DiagnosticBag) {
        for (_, scan) in scans.sorted(by: { $0.key < $1.key }) {
            for reference in scan.assets where names[reference.name] == nil {
                diagnostics.error(reference.location, .assetMissing(reference.name, nearest: nearest(reference.name, among: names.keys)))
            }
            for reference in scan.assetsByFixedName {
                if let published = names[reference.name], published != reference.name {
                    diagnostics.error(reference.location, .assetByFixedName(reference.name))
                }
            }
        }
    }

    /// Reports every include that names no template, any dynamic include, any cycle and
    /// any chain longer than `maxIncludeDepth`. Returns the names of templates too deep
    /// to hand to the engine at all.
    static func check(_ scans: [String: Scan], diagnostics: DiagnosticBag) -> Set<String> {
        var refused = Set<String>()
        for (name, scan) in scans.sorted(by: { $0.key < $1.key }) {
            if let tag = scan.deepestTag {
                diagnostics.error(tag, .sectionsTooDeep(scan.depth, max: maxSectionDepth))
                refused.insert(name)
            }
            for include in scan.includes {
                if include.dynamic {
                    diagnostics.error(include.location, .dynamicPartial(include.name))
                } else if include.name.isEmpty || scans[include.name] == nil {
                    diagnostics.error(include.location, .partialMissing(include.name))
                }
            }
        }

        // Depth-first over the include graph: an edge back to a template on the current
        // path is a cycle, reported at the tag that closes it.
        // `{{{item.x}}}` draws `items/x` inside this template's render: a step of the
        // chain like an include, so the engine's recursion stays within the same bound.
        // `{{$block}}` draws whatever overrides the block: what any override of it includes
        // is a step from here too (a partial that draws the block its own page fills in
        // with that partial would never end).
        var overrideIncludes: [String: [Include]] = [:]
        for scan in scans.values { overrideIncludes.merge(scan.overrideIncludes) { $0 + $1 } }
        func steps(_ name: String) -> [Include] {
            guard let scan = scans[name] else { return [] }
            let items = scan.items.map { Include(name: Theme.itemFolder + $0.name, location: $0.location, dynamic: false) }
            let blocks = scan.expansions.flatMap { block in
                (overrideIncludes[block.name] ?? []).map { Include(name: $0.name, location: block.location, dynamic: $0.dynamic) }
            }
            return scan.includes + items + blocks
        }
        enum Mark { case visiting, done(Int) }
        var marks: [String: Mark] = [:]
        var reported = Set<SourceLocation>()
        func visit(_ name: String, path: [String]) -> Int {
            switch marks[name] {
            case .done(let depth): return depth
            case .visiting: return 0
            case nil: break
            }
            marks[name] = .visiting
            var deepest = 0
            for include in steps(name) where !include.dynamic && scans[include.name] != nil {
                if case .visiting = marks[include.name] {
                    let chain = (path.drop { $0 != include.name } + [name, include.name]).joined(separator: " → ")
                    if reported.insert(include.location).inserted {
                        diagnostics.error(include.location, .includesItself(include.name, chain: chain))
                    }
                    continue
                }
                deepest = max(deepest, visit(include.name, path: path + [name]) + 1)
            }
            marks[name] = .done(deepest)
            return deepest
        }
        for name in scans.keys.sorted() {
            let depth = visit(name, path: [])
            if depth > maxIncludeDepth, let first = steps(name).first {
                diagnostics.error(first.location, .includesTooDeep(depth, max: maxIncludeDepth))
            }
        }
        return refused
    }
}
