import { descentBuild } from '../../tooling/tsup';

export default descentBuild({ index: 'src/index.ts' }, { splitting: false });
