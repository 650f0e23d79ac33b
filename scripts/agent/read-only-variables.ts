/**
 * The variables the agent will not let a task overwrite (src/Microsoft.VisualStudio.Services.Agent/Constants.cs
 * `Constants.Variables.ReadOnlyVariables`, names lower case: the agent compares them case-insensitively,
 * Variables.cs `IsReadOnly`). A variable a task set with `isreadonly=true` joins them for the rest of the job.
 */
export const READ_ONLY_VARIABLES: ReadonlySet<string> = new Set([
  'agent.acceptteeeula', 'agent.builddirectory', 'agent.cainfo', 'agent.clean.builddirectory', 'agent.clientcert',
  'agent.clientcertarchive', 'agent.clientcertkey', 'agent.clientcertpassword', 'agent.cloudid', 'agent.containerid',
  'agent.containermapping', 'agent.containernetwork', 'agent.diagnostic', 'agent.gituseschannel',
  'agent.homedirectory', 'agent.id', 'agent.isselfhosted', 'agent.jobname', 'agent.jobstatus', 'agent.machinename',
  'agent.name', 'agent.os', 'agent.osarchitecture', 'agent.osversion', 'agent.proxybypasslist',
  'agent.proxypassword', 'agent.proxyurl', 'agent.proxyusername', 'agent.readonlyvariables',
  'agent.releasedirectory', 'agent.retaindefaultencoding', 'agent.rootdirectory', 'agent.runmode',
  'agent.serveromdirectory', 'agent.services', 'agent.skipcertvalidation', 'agent.source.git.lfs',
  'agent.source.git.shallowfetchdepth', 'agent.source.skip', 'agent.tempdirectory', 'agent.toolsdirectory',
  'agent.usebasicauthforproxy', 'agent.version', 'agent.workfolder', 'agent.workingdirectory',
  'build.artifactstagingdirectory', 'build.binariesdirectory', 'build.buildnumber', 'build.clean',
  'build.definitionname', 'build.gated.runci', 'build.gated.shelvesetname', 'build.repository.clean',
  'build.repository.git.submodulecheckout', 'build.repository.id', 'build.repository.localpath',
  'build.repository.name', 'build.repository.provider', 'build.repository.tfvc.workspace', 'build.repository.uri',
  'build.sourcebranch', 'build.sourcesdirectory', 'build.sourcetfvcshelveset', 'build.sourceversion',
  'build.sourceversionauthor', 'build.sourceversionmessage', 'build.stagingdirectory', 'build.syncsources',
  'build.useserverworkspaces', 'common.testresultsdirectory', 'fix_possible_git_out_of_memory_problem',
  'pipeline.repository.name', 'pipeline.workspace', 'release.artifact.download.buffersize',
  'release.artifact.download.parallellimit', 'release.attemptnumber', 'release.definitionid',
  'release.definitionname', 'release.disablerobocopy', 'release.environmentname', 'release.environmenturi',
  'release.releasedescription', 'release.releaseid', 'release.releasename', 'release.releaseuri',
  'release.releaseweburl', 'release.requestedfor', 'release.requestedforid', 'release.robocopymt',
  'release.skipartifactsdownload', 'system.accesstoken', 'system.artifactsdirectory', 'system.collectionid',
  'system.culture', 'system.debug', 'system.defaultworkingdirectory', 'system.definitionid', 'system.definitionname',
  'system.enableaccesstoken', 'system.hosttype', 'system.isazurevm', 'system.isdockercontainer', 'system.jobattempt',
  'system.jobdisplayname', 'system.jobid', 'system.jobname', 'system.phaseattempt', 'system.phasedisplayname',
  'system.phasename', 'system.planid', 'system.prefergitfrompath', 'system.pullrequest.targetbranch',
  'system.selfmanagegitcreds', 'system.servertype', 'system.sourceversionmessage', 'system.stageattempt',
  'system.stagedisplayname', 'system.stagename', 'system.teamfoundationserveruri', 'system.teamproject',
  'system.teamprojectid', 'system.workfolder', 'task.displayname', 'task.publishtelemetry',
  'task.skiptranslatorforcheckout', 'use_git_long_paths', 'use_git_single_thread',
]);

/** `agent.readOnlyVariables`: when true the agent refuses the overwrite (the command fails); else it warns (Variables.cs `Read_Only_Variables`). */
export const ENFORCE_READ_ONLY_VARIABLE = 'agent.readonlyvariables';

/** The read-only variables among `names` (lower case): those in the agent's list, and those set read-only earlier in the job. */
export function readOnlyAmong(names: Iterable<string>, setReadOnlyEarlier: Iterable<string> = []): Set<string> {
  const readOnly = new Set([...setReadOnlyEarlier].map((name) => name.toLowerCase()));
  for (const name of names) if (READ_ONLY_VARIABLES.has(name.toLowerCase())) readOnly.add(name.toLowerCase());
  return readOnly;
}
