{{- $t := index site.Data.strings site.Language.Lang -}}
{{- $root := printf "%s/" site.LanguagePrefix -}}
window.OVERENS_SEARCH_INDEX = [
{{- range $i, $p := where site.RegularPages "Type" "ne" "search" -}}
{{- if $i }},{{ end -}}
{{- $section := $t.search.page }}{{ if ne $p.Type "page" }}{{ $section = index $t.sections $p.Section }}{{ end -}}
{{- dict "title" $p.Title "section" $section "url" (strings.TrimPrefix $root $p.RelPermalink) "summary" ($p.Params.summary | default "") "text" (substr $p.Plain 0 6000) "lang" $p.Lang | jsonify -}}
{{- end -}}
];
