/** The parse tree of kubectl's JSONPath templates (`k8s.io/client-go/util/jsonpath/node.go`). */

/** One bound of a `[start:end:step]` slice. */
export interface SliceParam {
  readonly known: boolean;
  readonly value: number;
  /** The end bound was derived from the start (`[2]` means `[2:3]`). */
  readonly derived: boolean;
}

/** A sequence of nodes evaluated left to right (a `{…}` action, or the whole template). */
export interface ListNode {
  readonly type: 'list';
  readonly nodes: JsonPathNode[];
}

/** A node of the parse tree. */
export type JsonPathNode =
  | ListNode
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'field'; readonly name: string }
  | { readonly type: 'identifier'; readonly name: string }
  | { readonly type: 'array'; readonly params: readonly [SliceParam, SliceParam, SliceParam] }
  | { readonly type: 'filter'; readonly left: ListNode; readonly right: ListNode; readonly operator: string }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'bool'; readonly value: boolean }
  | { readonly type: 'wildcard' }
  | { readonly type: 'recursive' }
  | { readonly type: 'union'; readonly nodes: readonly ListNode[] };

/** An empty list node. */
export const newList = (): ListNode => ({ type: 'list', nodes: [] });
