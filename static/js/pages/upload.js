// Entry of the upload page (video/upload.html).

import { bootUploader } from "../uploader.js";

bootUploader();
