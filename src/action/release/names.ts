/**
 * Generated release names. Helm v2 named an unnamed release from a word list
 * (`loitering-otter`, the training's example); Helm 3+ wants a name or `--generate-name`
 * (`<chart>-<unix time>`). bosun does both: the adjective-animal name when none is given (and
 * says so), `--generate-name` as Helm 4 does.
 */

import type { KubeClient } from '../../kube/index.js';

// biome-ignore format: a word list
const ADJECTIVES = [
  'agile', 'amber', 'austere', 'bold', 'brave', 'breezy', 'bright', 'calm', 'crafty', 'curious', 'dapper',
  'dazzling', 'eager', 'early', 'elegant', 'fancy', 'fierce', 'flabby', 'gentle', 'giddy', 'gilded',
  'good', 'hasty', 'honest', 'hopping', 'idle', 'invisible', 'jaded', 'jolly', 'kind', 'lanky', 'laughing',
  'lazy', 'loitering', 'lucky', 'mangy', 'mellow', 'misty', 'modest', 'musty', 'nimble', 'noble', 'odd',
  'orange', 'peppered', 'plucky', 'quiet', 'quirky', 'rafting', 'rolling', 'rude', 'rusty', 'sad', 'sandy',
  'silly', 'sleepy', 'snug', 'solid', 'sparkling', 'steely', 'stoic', 'swift', 'tan', 'tart', 'tufted',
  'vested', 'virtuous', 'wandering', 'whimsical', 'winning', 'wise', 'yodeling', 'zealous', 'zooming',
];

// biome-ignore format: a word list
const ANIMALS = [
  'aardvark', 'albatross', 'alpaca', 'ant', 'badger', 'bat', 'bear', 'beaver', 'bee', 'bison', 'buffalo',
  'bunny', 'camel', 'cat', 'cheetah', 'chicken', 'cow', 'coyote', 'crab', 'crocodile', 'deer', 'dingo',
  'dog', 'dolphin', 'donkey', 'dragon', 'duck', 'eagle', 'eel', 'elephant', 'emu', 'falcon', 'ferret',
  'finch', 'fox', 'frog', 'gecko', 'gerbil', 'giraffe', 'goat', 'goose', 'gorilla', 'hedgehog', 'heron',
  'hippo', 'horse', 'hound', 'ibis', 'iguana', 'jackal', 'jaguar', 'kangaroo', 'koala', 'lamb', 'lemur',
  'leopard', 'lion', 'llama', 'lynx', 'macaw', 'marmot', 'meerkat', 'mole', 'moose', 'mouse', 'newt',
  'ocelot', 'octopus', 'orca', 'otter', 'owl', 'panda', 'parrot', 'penguin', 'pig', 'puffin', 'quail',
  'rabbit', 'raccoon', 'rat', 'raven', 'rhino', 'robin', 'salamander', 'seal', 'shark', 'sheep', 'skunk',
  'sloth', 'squid', 'squirrel', 'stingray', 'swan', 'tiger', 'toad', 'turkey', 'turtle', 'walrus',
  'warthog', 'wasp', 'whale', 'wolf', 'wombat', 'yak', 'zebra',
];

/** An `adjective-animal` name drawn from the cluster's seeded generator. */
export async function adjectiveAnimalName(client: KubeClient): Promise<string> {
  const adjective = ADJECTIVES[await client.randomInt(ADJECTIVES.length)]!;
  const animal = ANIMALS[await client.randomInt(ANIMALS.length)]!;
  return `${adjective}-${animal}`;
}

/** Helm 4's `--generate-name`: `<chart>-<unix seconds>`. */
export function generatedName(chartName: string, now: Date): string {
  return `${chartName}-${Math.floor(now.getTime() / 1000)}`;
}
