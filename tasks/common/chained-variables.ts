/**
 * The job variables that chain the tasks: one task sets them, a later task of the same job reads them
 * when the matching input is empty, so a pipeline needs no wiring between the steps.
 */
export const CHAINED_VARIABLE = {
  /** `<login server>/<repository>@sha256:...`: set by BuildAndPushAiImage; the default image of the deploy tasks. */
  imageUri: 'AiModelDeploy.ImageUri',
  /** The deployed model's base URL: set by the deploy tasks; SmokeTestModel's default `url`. */
  modelUrl: 'AiModelDeploy.ModelUrl',
} as const;

/** Azure tag names that start with this hold the tasks' own bookkeeping (users may not set them). */
export const RESERVED_TAG_PREFIX = 'aimodeldeploy.';
