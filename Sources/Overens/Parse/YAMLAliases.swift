import CYaml

extension YAMLText {
    /// The most values a YAML text may stand for once its aliases are expanded. Front
    /// matter has a few dozen; a "billion laughs" (lists of aliases of lists of aliases)
    /// stands for 10⁹, and Yams hashes mapping keys whole, so one such key never finishes.
    static let maxExpandedValues = 100_000

    /// Where aliases make `yaml` expand past `maxExpandedValues` (1-based line and column
    /// of the alias), or nil. A text without both `&` and `*` has no aliases to expand and
    /// is not read twice; a text that is not valid YAML is left for Yams to report.
    static func aliasExpansion(in yaml: String) -> (line: Int, column: Int)? {
        guard yaml.utf8.contains(UInt8(ascii: "&")), yaml.utf8.contains(UInt8(ascii: "*")) else { return nil }
        let bytes = Array(yaml.utf8)
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer -> (line: Int, column: Int)? in
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            var expanded: [String: Int] = [:]                  // anchor → values it stands for
            var open: [(anchor: String?, values: Int)] = []    // collections being read
            var event = yaml_event_t()
            while yaml_parser_parse(&parser, &event) == 1 {
                defer { yaml_event_delete(&event) }
                let values: Int, anchor: String?
                switch event.type {
                case YAML_STREAM_END_EVENT:
                    return nil
                case YAML_SCALAR_EVENT:
                    (values, anchor) = (1, string(event.data.scalar.anchor))
                case YAML_ALIAS_EVENT:
                    guard let name = string(event.data.alias.anchor), let count = expanded[name] else { return nil }
                    (values, anchor) = (count, nil)
                case YAML_SEQUENCE_START_EVENT:
                    open.append((string(event.data.sequence_start.anchor), 1))
                    continue
                case YAML_MAPPING_START_EVENT:
                    open.append((string(event.data.mapping_start.anchor), 1))
                    continue
                case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                    guard let done = open.popLast() else { return nil }
                    (values, anchor) = (done.values, done.anchor)
                default:
                    continue
                }
                if let anchor { expanded[anchor] = values }
                // Counts stop just past the limit, so they never overflow.
                let total = min(values + (open.last?.values ?? 0), maxExpandedValues + 1)
                if total > maxExpandedValues {
                    return (Int(event.start_mark.line) + 1, Int(event.start_mark.column) + 1)
                }
                if !open.isEmpty { open[open.count - 1].values = total }
            }
            return nil
        }
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: $0) }
    }
}
