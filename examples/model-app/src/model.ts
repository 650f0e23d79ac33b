// What the HTTP layer needs from a loaded model: its tensor signature and an infer call.
export type V2Datatype = 'BOOL' | 'UINT8' | 'INT8' | 'INT16' | 'INT32' | 'INT64' | 'FP16' | 'FP32' | 'FP64' | 'BYTES';

export interface TensorSpec {
  readonly name: string;
  readonly datatype: V2Datatype;
  /** -1 marks a dimension of any size (e.g. the batch). */
  readonly shape: readonly number[];
}

export interface InputTensor {
  readonly name: string;
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

export interface OutputTensor {
  readonly name: string;
  readonly datatype: V2Datatype;
  readonly shape: readonly number[];
  readonly data: readonly number[];
}

export interface LoadedModel {
  readonly platform: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
  infer(inputs: readonly InputTensor[], outputNames: readonly string[]): Promise<OutputTensor[]>;
  release(): Promise<void>;
}

export type ModelLoader = () => Promise<LoadedModel>;
