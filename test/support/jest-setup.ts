import { giveSqliteErrorsThisRealm } from './sqlite-realm';

giveSqliteErrorsThisRealm();
