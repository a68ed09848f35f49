/**
 * The `templates/` files of `bosun create`: Helm v4's `helm create` templates translated to
 * bosun's Handlebars dialect (docs/templates.md). With default values they render the same four
 * documents as Helm's, line for line. `<CHARTNAME>` stands for the chart's name.
 *
 * Whitespace rules the translation relies on (Handlebars' own):
 * - a line holding only a block tag (`{{#if}}`, `{{else}}`, `{{/with}}`, `{{#define}}`, a
 *   comment) vanishes with its newline;
 * - `{{~x}}` trims the whitespace before the tag, newlines included, like Go's `{{- x}}`. So
 *   `{{~nindent 4 (…)}}` on its own line continues the line above, as Go's
 *   `{{- … | nindent 4 }}` does;
 * - a text line keeps its newline, so a define that yields one value ends its branches with
 *   `{{~else}}` / `{{~/if}}` / `{{~/define}}` to drop it;
 * - where a `with` block's first line must continue the line above it (pod labels,
 *   `parentRefs`), the block uses `{{~indent N (…)}}` on its own line instead of `nindent`,
 *   because `~` cannot reach past the block's opening tag.
 */

/** `templates/_helpers.tpl`: names, labels and the service account name. */
export const HELPERS_TPL = `{{!--
Expand the name of the chart.
--}}
{{#define "<CHARTNAME>.name"}}
{{trimSuffix "-" (trunc 63 (default Chart.Name Values.nameOverride))}}
{{~/define}}

{{!--
Create a default fully qualified app name.
We truncate at 63 chars because some Kubernetes name fields are limited to this (by the DNS naming spec).
If release name contains chart name it will be used as a full name.
--}}
{{#define "<CHARTNAME>.fullname"}}
{{#if Values.fullnameOverride}}
{{trimSuffix "-" (trunc 63 Values.fullnameOverride)}}
{{~else}}
{{#let (default Chart.Name Values.nameOverride) as |name|}}
{{#if (contains name Release.Name)}}
{{trimSuffix "-" (trunc 63 Release.Name)}}
{{~else}}
{{trimSuffix "-" (trunc 63 (printf "%s-%s" Release.Name name))}}
{{~/if}}
{{/let}}
{{~/if}}
{{~/define}}

{{!--
Create chart name and version as used by the chart label.
--}}
{{#define "<CHARTNAME>.chart"}}
{{trimSuffix "-" (trunc 63 (replace "+" "_" (printf "%s-%s" Chart.Name Chart.Version)))}}
{{~/define}}

{{!--
Common labels
--}}
{{#define "<CHARTNAME>.labels"}}
helm.sh/chart: {{include "<CHARTNAME>.chart" this}}
{{include "<CHARTNAME>.selectorLabels" this}}
{{#if Chart.AppVersion}}
app.kubernetes.io/version: {{quote Chart.AppVersion}}
{{/if}}
app.kubernetes.io/managed-by: {{Release.Service}}
{{~/define}}

{{!--
Selector labels
--}}
{{#define "<CHARTNAME>.selectorLabels"}}
app.kubernetes.io/name: {{include "<CHARTNAME>.name" this}}
app.kubernetes.io/instance: {{Release.Name}}
{{~/define}}

{{!--
Create the name of the service account to use
--}}
{{#define "<CHARTNAME>.serviceAccountName"}}
{{#if Values.serviceAccount.create}}
{{default (include "<CHARTNAME>.fullname" this) Values.serviceAccount.name}}
{{~else}}
{{default "default" Values.serviceAccount.name}}
{{~/if}}
{{~/define}}
`;

/** `templates/deployment.yaml`. */
export const DEPLOYMENT_YAML = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{include "<CHARTNAME>.fullname" this}}
  labels:
    {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
spec:
  {{#unless Values.autoscaling.enabled}}
  replicas: {{Values.replicaCount}}
  {{/unless}}
  selector:
    matchLabels:
      {{~nindent 6 (include "<CHARTNAME>.selectorLabels" this)}}
  template:
    metadata:
      {{#with Values.podAnnotations}}
      annotations:
        {{~nindent 8 (toYaml this)}}
      {{/with}}
      labels:
        {{~nindent 8 (include "<CHARTNAME>.labels" this)}}
        {{#with Values.podLabels}}
        {{~indent 8 (toYaml this)}}
        {{/with}}
    spec:
      {{#with Values.imagePullSecrets}}
      imagePullSecrets:
        {{~nindent 8 (toYaml this)}}
      {{/with}}
      serviceAccountName: {{include "<CHARTNAME>.serviceAccountName" this}}
      {{#with Values.podSecurityContext}}
      securityContext:
        {{~nindent 8 (toYaml this)}}
      {{/with}}
      containers:
        - name: {{Chart.Name}}
          {{#with Values.securityContext}}
          securityContext:
            {{~nindent 12 (toYaml this)}}
          {{/with}}
          image: "{{Values.image.repository}}:{{default Chart.AppVersion Values.image.tag}}"
          imagePullPolicy: {{Values.image.pullPolicy}}
          ports:
            - name: http
              containerPort: {{Values.service.port}}
              protocol: TCP
          {{#with Values.livenessProbe}}
          livenessProbe:
            {{~nindent 12 (toYaml this)}}
          {{/with}}
          {{#with Values.readinessProbe}}
          readinessProbe:
            {{~nindent 12 (toYaml this)}}
          {{/with}}
          {{#with Values.resources}}
          resources:
            {{~nindent 12 (toYaml this)}}
          {{/with}}
          {{#with Values.volumeMounts}}
          volumeMounts:
            {{~nindent 12 (toYaml this)}}
          {{/with}}
      {{#with Values.volumes}}
      volumes:
        {{~nindent 8 (toYaml this)}}
      {{/with}}
      {{#with Values.nodeSelector}}
      nodeSelector:
        {{~nindent 8 (toYaml this)}}
      {{/with}}
      {{#with Values.affinity}}
      affinity:
        {{~nindent 8 (toYaml this)}}
      {{/with}}
      {{#with Values.tolerations}}
      tolerations:
        {{~nindent 8 (toYaml this)}}
      {{/with}}
`;

/** `templates/service.yaml`. */
export const SERVICE_YAML = `apiVersion: v1
kind: Service
metadata:
  name: {{include "<CHARTNAME>.fullname" this}}
  labels:
    {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
spec:
  type: {{Values.service.type}}
  ports:
    - port: {{Values.service.port}}
      targetPort: http
      protocol: TCP
      name: http
  selector:
    {{~nindent 4 (include "<CHARTNAME>.selectorLabels" this)}}
`;

/** `templates/serviceaccount.yaml`. */
export const SERVICEACCOUNT_YAML = `{{#if Values.serviceAccount.create}}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{include "<CHARTNAME>.serviceAccountName" this}}
  labels:
    {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
  {{#with Values.serviceAccount.annotations}}
  annotations:
    {{~nindent 4 (toYaml this)}}
  {{/with}}
automountServiceAccountToken: {{Values.serviceAccount.automount}}
{{/if}}
`;

/** `templates/ingress.yaml` (networking.k8s.io/v1), when `ingress.enabled`. */
export const INGRESS_YAML = `{{#if Values.ingress.enabled}}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{include "<CHARTNAME>.fullname" this}}
  labels:
    {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
  {{#with Values.ingress.annotations}}
  annotations:
    {{~nindent 4 (toYaml this)}}
  {{/with}}
spec:
  {{#with Values.ingress.className}}
  ingressClassName: {{this}}
  {{/with}}
  {{#if Values.ingress.tls}}
  tls:
    {{#each Values.ingress.tls}}
    - hosts:
        {{#each this.hosts}}
        - {{quote this}}
        {{/each}}
      secretName: {{this.secretName}}
    {{/each}}
  {{/if}}
  rules:
    {{#each Values.ingress.hosts}}
    - host: {{quote this.host}}
      http:
        paths:
          {{#each this.paths}}
          - path: {{this.path}}
            {{#with this.pathType}}
            pathType: {{this}}
            {{/with}}
            backend:
              service:
                name: {{include "<CHARTNAME>.fullname" @root}}
                port:
                  number: {{@root.Values.service.port}}
          {{/each}}
    {{/each}}
{{/if}}
`;

/** `templates/httproute.yaml` (Gateway API gateway.networking.k8s.io/v1), when `httpRoute.enabled`. */
export const HTTPROUTE_YAML = `{{#if Values.httpRoute.enabled}}
{{#let (include "<CHARTNAME>.fullname" this) as |fullName|}}
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata:
  name: {{fullName}}
  labels:
    {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
  {{#with Values.httpRoute.annotations}}
  annotations:
    {{~nindent 4 (toYaml this)}}
  {{/with}}
spec:
  parentRefs:
    {{#with Values.httpRoute.parentRefs}}
    {{~indent 4 (toYaml this)}}
    {{/with}}
  {{#with Values.httpRoute.hostnames}}
  hostnames:
    {{~nindent 4 (toYaml this)}}
  {{/with}}
  rules:
    {{#each Values.httpRoute.rules}}
    {{#with this.matches}}
    - matches:
      {{~nindent 8 (toYaml this)}}
    {{/with}}
    {{#with this.filters}}
      filters:
      {{~nindent 8 (toYaml this)}}
    {{/with}}
      backendRefs:
        - name: {{fullName}}
          port: {{@root.Values.service.port}}
          weight: 1
    {{/each}}
{{/let}}
{{/if}}
`;

/** `templates/hpa.yaml` (autoscaling/v2), when `autoscaling.enabled`. */
export const HPA_YAML = `{{#if Values.autoscaling.enabled}}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{include "<CHARTNAME>.fullname" this}}
  labels:
    {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{include "<CHARTNAME>.fullname" this}}
  minReplicas: {{Values.autoscaling.minReplicas}}
  maxReplicas: {{Values.autoscaling.maxReplicas}}
  metrics:
    {{#if Values.autoscaling.targetCPUUtilizationPercentage}}
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{Values.autoscaling.targetCPUUtilizationPercentage}}
    {{/if}}
    {{#if Values.autoscaling.targetMemoryUtilizationPercentage}}
    - type: Resource
      resource:
        name: memory
        target:
          type: Utilization
          averageUtilization: {{Values.autoscaling.targetMemoryUtilizationPercentage}}
    {{/if}}
{{/if}}
`;

/**
 * `templates/NOTES.txt`: how to reach the application, one branch per way it is exposed
 * (HTTPRoute, Ingress, NodePort, LoadBalancer, ClusterIP). Where Go's `and` stops at the first
 * empty operand, nested `if`s keep `first` from ever seeing an empty list. `\{{` prints a
 * literal `{{` (kubectl's own template syntax).
 */
export const NOTES_TXT = String.raw`1. Get the application URL by running these commands:
{{#if Values.httpRoute.enabled}}
{{#if Values.httpRoute.hostnames}}
    export APP_HOSTNAME={{first Values.httpRoute.hostnames}}
{{else}}
{{#let (first Values.httpRoute.parentRefs) as |gateway|}}
    export APP_HOSTNAME=$(kubectl get --namespace {{default Release.Namespace gateway.namespace}} gateway/{{gateway.name}} -o jsonpath="{.spec.listeners[0].hostname}")
{{/let}}
{{/if}}
{{#if Values.httpRoute.rules}}
{{#let (first Values.httpRoute.rules) as |rule|}}
{{#if rule.matches}}
{{#let (first rule.matches) as |match|}}
{{#if match.path.value}}
{{#let (first Values.httpRoute.parentRefs) as |gateway|}}
    echo "Visit http://$APP_HOSTNAME{{match.path.value}} to use your application"

    NOTE: Your HTTPRoute depends on the listener configuration of your gateway and your HTTPRoute rules.
    The rules can be set for path, method, header and query parameters.
    You can check the gateway configuration with 'kubectl get --namespace {{default Release.Namespace gateway.namespace}} gateway/{{gateway.name}} -o yaml'
{{/let}}
{{/if}}
{{/let}}
{{/if}}
{{/let}}
{{/if}}
{{else if Values.ingress.enabled}}
{{#each Values.ingress.hosts as |host|}}
{{#each host.paths}}
  http{{#if @root.Values.ingress.tls}}s{{/if}}://{{host.host}}{{this.path}}
{{/each}}
{{/each}}
{{else if (contains "NodePort" Values.service.type)}}
  export NODE_PORT=$(kubectl get --namespace {{Release.Namespace}} -o jsonpath="{.spec.ports[0].nodePort}" services {{include "<CHARTNAME>.fullname" this}})
  export NODE_IP=$(kubectl get nodes --namespace {{Release.Namespace}} -o jsonpath="{.items[0].status.addresses[0].address}")
  echo http://$NODE_IP:$NODE_PORT
{{else if (contains "LoadBalancer" Values.service.type)}}
     NOTE: It may take a few minutes for the LoadBalancer IP to be available.
           You can watch its status by running 'kubectl get --namespace {{Release.Namespace}} svc -w {{include "<CHARTNAME>.fullname" this}}'
  export SERVICE_IP=$(kubectl get svc --namespace {{Release.Namespace}} {{include "<CHARTNAME>.fullname" this}} --template "\{{ range (index .status.loadBalancer.ingress 0) }}\{{.}}\{{ end }}")
  echo http://$SERVICE_IP:{{Values.service.port}}
{{else if (contains "ClusterIP" Values.service.type)}}
  export POD_NAME=$(kubectl get pods --namespace {{Release.Namespace}} -l "app.kubernetes.io/name={{include "<CHARTNAME>.name" this}},app.kubernetes.io/instance={{Release.Name}}" -o jsonpath="{.items[0].metadata.name}")
  export CONTAINER_PORT=$(kubectl get pod --namespace {{Release.Namespace}} $POD_NAME -o jsonpath="{.spec.containers[0].ports[0].containerPort}")
  echo "Visit http://127.0.0.1:8080 to use your application"
  kubectl --namespace {{Release.Namespace}} port-forward $POD_NAME 8080:$CONTAINER_PORT
{{/if}}
`;

/** `templates/tests/test-connection.yaml`: the `helm.sh/hook: test` Pod run by `bosun test`. */
export const TEST_CONNECTION_YAML = `apiVersion: v1
kind: Pod
metadata:
  name: "{{include "<CHARTNAME>.fullname" this}}-test-connection"
  labels:
    {{~nindent 4 (include "<CHARTNAME>.labels" this)}}
  annotations:
    "helm.sh/hook": test
spec:
  containers:
    - name: wget
      image: busybox
      command: ['wget']
      args: ['{{include "<CHARTNAME>.fullname" this}}:{{Values.service.port}}']
  restartPolicy: Never
`;
