import type { Change, Page, PageRequest } from '../../../shared/cases/ports.ts';
import type { ProtectedValue } from '../../../shared/pii/pii-vault.ts';
import type { Registration } from '../domain/registration.ts';

export interface RegistrationRepository {
  /** Once per right (its right key): a second registration of the same right is refused. */
  add(registration: Registration, options: { sealedIdNumber?: ProtectedValue | undefined; onConflict: Error }): Change;
  /** A page of a project's registrations, without the sealed ID numbers. */
  page(projectId: string, page: PageRequest): Promise<Page<Registration>>;
}
