import { PERMISSIONS } from '../../shared/domain/permissions';
import { httpHandler } from '../../shared/http/http-handler';
import { callerId } from '../../shared/http/request';
import { json } from '../../shared/http/responses';

export const handler = httpHandler(async (event) => {
  callerId(event);
  return json(200, { permissions: PERMISSIONS });
});
