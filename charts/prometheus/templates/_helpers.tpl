{{!--
Chart name and version, as used by the chart and helm.sh/chart labels.
--}}
{{#define "prometheus.chart"}}
{{trimSuffix "-" (trunc 63 (replace "+" "_" (printf "%s-%s" Chart.Name Chart.Version)))}}
{{~/define}}

{{!--
The chart name, or nameOverride.
--}}
{{#define "prometheus.name"}}
{{trimSuffix "-" (trunc 63 (default Chart.Name Values.nameOverride))}}
{{~/define}}

{{!--
Prefix of every object name: fullnameOverride, else <release>-<chart name>, or the release name
alone when it already contains the chart name (release "prometheus" gives prometheus-server, as
the 2019 chart does). Kept to 50 characters so that <prefix>-<component> fits in 63.
--}}
{{#define "prometheus.fullname"}}
{{#if Values.fullnameOverride}}
{{trimSuffix "-" (trunc 50 Values.fullnameOverride)}}
{{~else if (contains (include "prometheus.name" this) Release.Name)}}
{{trimSuffix "-" (trunc 50 Release.Name)}}
{{~else}}
{{trimSuffix "-" (trunc 50 (printf "%s-%s" Release.Name (include "prometheus.name" this)))}}
{{~/if}}
{{~/define}}

{{!--
A component's object name, <fullname>-<component name>, e.g. loitering-otter-prometheus-server.
Called with (dict "root" @root "component" Values.<component>).
--}}
{{#define "prometheus.componentName"}}
{{trimSuffix "-" (trunc 63 (printf "%s-%s" (include "prometheus.fullname" this.root) this.component.name))}}
{{~/define}}

{{!--
Labels selecting a component's pods: app=prometheus, component=<name>, release=<release>, the
labels kubectl -l selectors of the 2019 chart use.
Called with (dict "root" @root "component" Values.<component>).
--}}
{{#define "prometheus.selectorLabels"}}
app: {{include "prometheus.name" this.root}}
component: {{quote this.component.name}}
release: {{this.root.Release.Name}}
{{~/define}}

{{!--
Labels every object of a component carries: its selector labels, then the recommended
app.kubernetes.io/* labels.
Called with (dict "root" @root "component" Values.<component>).
--}}
{{#define "prometheus.labels"}}
{{include "prometheus.selectorLabels" this}}
chart: {{include "prometheus.chart" this.root}}
heritage: {{this.root.Release.Service}}
app.kubernetes.io/name: {{include "prometheus.name" this.root}}
app.kubernetes.io/instance: {{this.root.Release.Name}}
app.kubernetes.io/component: {{this.component.name}}
{{#if this.root.Chart.AppVersion}}
app.kubernetes.io/version: {{quote this.root.Chart.AppVersion}}
{{/if}}
app.kubernetes.io/part-of: {{include "prometheus.name" this.root}}
app.kubernetes.io/managed-by: {{this.root.Release.Service}}
helm.sh/chart: {{include "prometheus.chart" this.root}}
{{~/define}}

{{!--
The ServiceAccount a component's pods run as: its own (named as the component) when
serviceAccounts.<key>.create, else serviceAccounts.<key>.name, else "default".
Called with (dict "root" @root "component" Values.<component> "account" Values.serviceAccounts.<key>).
--}}
{{#define "prometheus.serviceAccountName"}}
{{#if this.account.create}}
{{default (include "prometheus.componentName" this) this.account.name}}
{{~else}}
{{default "default" this.account.name}}
{{~/if}}
{{~/define}}

{{!--
An image reference, repository[:tag]. Called with Values.<component>.image (or any object with
repository and tag).
--}}
{{#define "prometheus.image"}}
{{this.repository}}{{#with this.tag}}:{{this}}{{/with}}
{{~/define}}
