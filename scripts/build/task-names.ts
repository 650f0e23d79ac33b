/** The tasks this extension ships, by folder name under tasks/. */
export const TASK_NAMES = ['BuildAndPushAiImageV1', 'DeployToAciV1', 'DeployToAksV1', 'SmokeTestModelV1'] as const;
export type TaskFolderName = (typeof TASK_NAMES)[number];
