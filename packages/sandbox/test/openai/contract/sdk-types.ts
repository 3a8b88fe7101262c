// The response types the openai 6.49.0 client declares, gathered for the contract test
// (sdk-shape.ts reads this file with the TypeScript compiler; nothing imports it at run time).
import type OpenAI from 'openai';

export type SdkShapes = {
  completion: OpenAI.Chat.Completions.ChatCompletion;
  chunk: OpenAI.Chat.Completions.ChatCompletionChunk;
  model: OpenAI.Models.Model;
};
