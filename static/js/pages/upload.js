// Entry of the upload page (video/upload.html).

import { bootUploader } from "../upload/index.js";

bootUploader();
