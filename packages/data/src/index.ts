// Explicit named re-exports of the package's public API.
export { type Dataset, checkDataset } from './dataset';
export type { Seed } from './options';
export { mnist, type MnistOptions, type MnistDataset } from './mnist/mnist';
export type { MnistSplit } from './mnist/mnist-split';
export { twoSpirals, type TwoSpiralsOptions } from './synthetic/two-spirals';
export {
  gaussianBlobs,
  type GaussianBlobsOptions,
  type GaussianBlobsDataset,
} from './synthetic/gaussian-blobs';
export { teacherStudent, type TeacherStudentOptions } from './synthetic/teacher-student';
export { sinusoid, type SinusoidOptions } from './synthetic/sinusoid';
export { batches, type BatchesOptions, type Batch, type Batches } from './batches';
export { oneHot } from './one-hot';
export { oneHotChecked } from './one-hot-checked';
export {
  fit,
  type FitOptions,
  type FitHistory,
  type FitEpoch,
  type FitEpochReport,
  type FitBatchReport,
  type FitValidation,
  type FitLoss,
  type Minimizer,
} from './fit/fit';
