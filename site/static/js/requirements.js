// Python requirements in pip format, checked line by line the way the server checks them
// (functions/.../definition/Requirements.java): one PEP 508 requirement per line, blank lines
// and `#` comments allowed; options, URLs, `git+`, direct references and paths refused.

const REQUIREMENT = new RegExp('^(?:'
  + '[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?' // name
  + '(?:\\s*\\[\\s*[A-Za-z0-9._-]+(?:\\s*,\\s*[A-Za-z0-9._-]+)*\\s*\\])?' // extras
  + '(?:\\s*(?:===|==|!=|~=|>=|<=|>|<)\\s*[A-Za-z0-9.*+!_-]+' // first specifier
  + '(?:\\s*,\\s*(?:===|==|!=|~=|>=|<=|>|<)\\s*[A-Za-z0-9.*+!_-]+)*)?' // more
  + '(?:\\s*;\\s*[A-Za-z0-9_ .\'"<>=!~()-]+)?' // marker
  + ')$');

/** The problems of each invalid line, worded as `line N: …`; empty when valid. */
export function requirementProblems(text) {
  const problems = [];
  const lines = String(text ?? '').split(/\r?\n/);
  lines.forEach((line, i) => {
    const hash = line.indexOf(' #');
    const requirement = (line.trim().startsWith('#') ? '' : hash >= 0 ? line.slice(0, hash) : line).trim();
    if (!requirement) return;
    let problem = null;
    if (requirement.startsWith('-')) {
      problem = 'pip options are not allowed';
    } else if (requirement.includes('://') || requirement.startsWith('git+') || requirement.includes('@')) {
      problem = 'URLs and direct references are not allowed; name a package';
    } else if (requirement.includes('/') || requirement.includes('\\')) {
      problem = 'paths are not allowed; name a package';
    } else if (!REQUIREMENT.test(requirement)) {
      problem = "is not a requirement like 'numpy>=1.26' or 'requests[socks]==2.32.3'";
    }
    if (problem) problems.push(`line ${i + 1}: ${problem}`);
  });
  return problems;
}
