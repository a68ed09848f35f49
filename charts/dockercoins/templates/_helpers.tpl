{{!--
Chart name and version, as used by the helm.sh/chart label.
--}}
{{#define "dockercoins.chart"}}
{{trimSuffix "-" (trunc 63 (replace "+" "_" (printf "%s-%s" Chart.Name Chart.Version)))}}
{{~/define}}

{{!--
Labels every object carries in its metadata, after its own `app: <name>` and
`app.kubernetes.io/name: <name>`. Selectors and pod templates use `app: <name>` only, as the
training's manifests do, so that its kubectl commands (-l app=rng) match the pods.
Called with the root context.
--}}
{{#define "dockercoins.labels"}}
app.kubernetes.io/instance: {{Release.Name}}
{{#if Chart.AppVersion}}
app.kubernetes.io/version: {{quote Chart.AppVersion}}
{{/if}}
app.kubernetes.io/part-of: {{Chart.Name}}
app.kubernetes.io/managed-by: {{Release.Service}}
helm.sh/chart: {{include "dockercoins.chart" this}}
{{~/define}}

{{!--
A component's image reference: [global.imageRegistry/]repository[:tag].
Called with (dict "image" Values.<component>.image "registry" Values.global.imageRegistry).
--}}
{{#define "dockercoins.image"}}
{{#if this.registry}}{{trimSuffix "/" this.registry}}/{{/if}}{{this.image.repository}}{{#with this.image.tag}}:{{this}}{{/with}}
{{~/define}}
