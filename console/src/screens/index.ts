// Every screen module, imported for its registerScreens call. A new service adds one line.
import './work.tsx';
import './dashboard.tsx';
import './alerts.tsx';
import './holidays.tsx';
import './households.tsx';
import './household.tsx';
import './survey-import.tsx';
import './projects.tsx';
import './project.tsx';
import './notice.tsx';
