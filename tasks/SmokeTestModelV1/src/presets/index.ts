import { azureml } from './azureml';
import { httpPreset } from './http';
import { kserveV1 } from './kserve-v1';
import { mlflow } from './mlflow';
import { openInference } from './open-inference';
import { openai } from './openai';
import { tfServing } from './tf-serving';
import { torchServe } from './torchserve';
import type { HttpMethod, Preset, Protocol } from './types';

export interface HttpOptions {
  readonly method: HttpMethod;
  readonly requestPath: string;
}

export function presetFor(protocol: Protocol, http: HttpOptions): Preset {
  switch (protocol) {
    case 'openInference':
      return openInference;
    case 'kserveV1':
      return kserveV1;
    case 'tfServing':
      return tfServing;
    case 'torchServe':
      return torchServe;
    case 'mlflow':
      return mlflow;
    case 'azureml':
      return azureml;
    case 'openai':
      return openai;
    case 'http':
      return httpPreset(http.method, http.requestPath);
  }
}
