/**
 * The image a deploy task deploys: the `image` input, else the variable AiModelDeploy.ImageUri that
 * BuildAndPushAiImage set earlier in the job. Both are checked against Docker's reference grammar.
 */
import { CHAINED_VARIABLE } from '../chained-variables';
import { type ImageReference, parseImageReference } from '../docker/image-reference';
import { missingInput } from '../errors';
import type { InputContext, InputReader } from '../input-reader';
import { DEPLOY_INPUT } from './input-names';

/** What a deploy task's readInputs gets beside the raw inputs. */
export interface DeployInputContext extends InputContext {
  /** The value of AiModelDeploy.ImageUri, when an earlier step set it. */
  pipelineImage?: string;
}

export interface ImageInput {
  readonly image: ImageReference;
  /** Where the image came from: the `image` input or the job variable set by BuildAndPushAiImage. */
  readonly imageSource: 'input' | 'pipeline';
}

export function readImageInput(read: InputReader<typeof DEPLOY_INPUT.image>, context: DeployInputContext): ImageInput {
  const variable = CHAINED_VARIABLE.imageUri;
  const given = read.string(DEPLOY_INPUT.image);
  if (given !== undefined) return { image: parseImageReference(DEPLOY_INPUT.image, given), imageSource: 'input' };
  const fromPipeline = context.pipelineImage?.trim();
  if (fromPipeline === undefined || fromPipeline === '') {
    throw missingInput(
      DEPLOY_INPUT.image,
      `Name the image to deploy, or run BuildAndPushAiImage earlier in the same job: it sets the variable ${variable} that this task uses when 'image' is empty.`,
    );
  }
  const hint = ` (the input is empty, so the task used the variable ${variable}, which holds this value)`;
  return { image: parseImageReference(DEPLOY_INPUT.image, fromPipeline, hint), imageSource: 'pipeline' };
}
