{{/* A comma-separated value as a list, blanks dropped. */}}
{{- define "drydock.list" -}}
{{- $out := list -}}
{{- range (splitList "," .) -}}{{- if trim . -}}{{- $out = append $out (trim .) -}}{{- end -}}{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{/* Graviton families (a "g" right after the generation digit: m7g, c7gn, r8gd). */}}
{{- define "drydock.gravitonFamilies" -}}
{{- $out := list -}}
{{- range (fromJsonArray (include "drydock.list" .Values.karpenter.instanceFamilies)) -}}{{- if regexMatch "^[a-z]+[0-9]+g[a-z]*$" . -}}{{- $out = append $out . -}}{{- end -}}{{- end -}}
{{- toJson $out -}}
{{- end -}}

{{- define "drydock.x86Families" -}}
{{- $out := list -}}
{{- range (fromJsonArray (include "drydock.list" .Values.karpenter.instanceFamilies)) -}}{{- if not (regexMatch "^[a-z]+[0-9]+g[a-z]*$" .) -}}{{- $out = append $out . -}}{{- end -}}{{- end -}}
{{- toJson $out -}}
{{- end -}}
