/* Wi-Fi station with automatic reconnect. */
#ifndef FP_WIFI_H_
#define FP_WIFI_H_

/* Joins the network and waits for an IP address; returns once connected. */
void fp_wifi_connect(const char *ssid, const char *password);

#endif /* FP_WIFI_H_ */
