// Reads the Iris CSV shipped in data/ into feature rows and class indices.
export const FEATURE_NAMES = ['sepal_length_cm', 'sepal_width_cm', 'petal_length_cm', 'petal_width_cm'] as const;
export const CLASS_NAMES = ['setosa', 'versicolor', 'virginica'] as const;

export interface Dataset {
  readonly features: readonly (readonly number[])[];
  readonly labels: readonly number[];
}

export function parseIrisCsv(text: string): Dataset {
  const lines = text.split(/\r?\n/).filter((line) => line.trim() !== '');
  const header = lines.shift();
  const expectedHeader = [...FEATURE_NAMES, 'species'].join(',');
  if (header !== expectedHeader) {
    throw new Error(`Iris CSV header must be '${expectedHeader}'; got '${header ?? ''}'.`);
  }
  const features: number[][] = [];
  const labels: number[] = [];
  lines.forEach((line, index) => {
    const cells = line.split(',');
    const species = cells.pop() ?? '';
    const label = (CLASS_NAMES as readonly string[]).indexOf(species);
    const values = cells.map(Number);
    if (label < 0 || values.length !== FEATURE_NAMES.length || values.some((v) => !Number.isFinite(v))) {
      throw new Error(`Iris CSV line ${index + 2} is not 4 numbers and a species name: '${line}'.`);
    }
    features.push(values);
    labels.push(label);
  });
  return { features, labels };
}
