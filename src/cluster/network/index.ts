/** The cluster network as pods, nodes and the outside see it (DNS and connections). */

export { INTERNET_HOSTS, internetHost, resolveInternet } from './internet.js';
export { createNetworkView, type NetworkHost, type PolicyTarget } from './view.js';
